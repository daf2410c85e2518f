-- Revenue per month: date truncation keeps a DATE on every engine.
SELECT
  date_trunc('month', order_date) AS month,
  SUM(amount) AS revenue
FROM {{ ref('fact_sales') }}
GROUP BY 1
ORDER BY 1
