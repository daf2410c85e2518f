-- name: month_end_arithmetic
-- description: Days to month end, a 30-day follow-up date and the previous month's start (DATE_ADD/DATE_SUB/LAST_DAY).
-- expect: portable
SELECT
  order_date,
  LAST_DAY(order_date) AS month_end,
  LAST_DAY(order_date, QUARTER) AS quarter_end,
  DATE_DIFF(LAST_DAY(order_date), order_date, DAY) AS days_to_month_end,
  DATE_ADD(order_date, INTERVAL 30 DAY) AS follow_up,
  DATE_SUB(DATE_TRUNC(order_date, MONTH), INTERVAL 1 MONTH) AS previous_month,
  DATE_ADD(order_date, INTERVAL 1 MONTH) AS month_later,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE EXTRACT(DAY FROM order_date) >= 28
GROUP BY order_date
ORDER BY order_date
