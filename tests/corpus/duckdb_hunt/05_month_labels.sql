-- name: month_labels
-- expect: portable
SELECT strftime(order_date, '%Y-%m') AS month_label,
  strftime(order_ts, '%Y-%m-%d %H:00') AS first_hour,
  SUM(amount) AS revenue
FROM {{ ref('fact_sales') }}
WHERE order_date < DATE '2022-01-04'
GROUP BY 1, 2
ORDER BY 1, 2
