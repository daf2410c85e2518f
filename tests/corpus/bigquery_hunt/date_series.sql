-- name: date_series
-- description: Revenue per day of late November including days without orders (GENERATE_DATE_ARRAY, UNNEST, LEFT JOIN, IFNULL).
-- expect: portable
SELECT
  day,
  IFNULL(SUM(f.amount), 0) AS revenue,
  COUNT(f.sale_id) AS lines
FROM UNNEST(GENERATE_DATE_ARRAY(DATE '2024-11-20', DATE '2024-11-30')) AS day
LEFT JOIN {{ ref('fact_sales') }} AS f ON f.order_date = day
GROUP BY day
ORDER BY day
