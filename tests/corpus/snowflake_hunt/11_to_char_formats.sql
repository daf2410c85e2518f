-- name: to_char_formats
-- description: Revenue per month label in three TO_CHAR formats.
SELECT
  TO_CHAR(order_date, 'YYYY-MM') AS ym,
  TO_CHAR(order_date, 'Mon YYYY') AS month_label,
  TO_VARCHAR(DATE_TRUNC('month', order_date), 'YYYYMMDD') AS month_key,
  SUM(amount) AS revenue
FROM {{ ref('fact_sales') }}
WHERE order_date >= '2024-06-01'
GROUP BY 1, 2, 3
ORDER BY ym
