-- name: month_partition_dates
-- description: Partition months parsed back from order-day text (PARSE_DATE, DATE(y, m, d), DATE_FROM_UNIX_DATE).
-- expect: portable
SELECT
  PARSE_DATE('%Y%m', FORMAT_DATE('%Y%m', order_date)) AS month,
  DATE_FROM_UNIX_DATE(MIN(UNIX_DATE(order_date))) AS first_order_day,
  DATE(EXTRACT(YEAR FROM MIN(order_date)), 12, 31) AS year_end,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1
ORDER BY 1
