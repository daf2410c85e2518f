-- name: moving_windows
-- description: Monthly revenue with a 3-month moving sum, running average, first and last month values.
WITH monthly AS (
  SELECT DATE_TRUNC('month', order_date) AS month, SUM(amount) AS revenue
  FROM {{ ref('fact_sales') }}
  GROUP BY 1
)
SELECT
  month,
  revenue,
  SUM(revenue) OVER (ORDER BY month ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS moving_3m,
  AVG(revenue) OVER (ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_avg,
  FIRST_VALUE(revenue) OVER (PARTITION BY YEAR(month) ORDER BY month) AS first_of_year,
  LAST_VALUE(revenue) OVER (PARTITION BY YEAR(month) ORDER BY month) AS last_so_far
FROM monthly
ORDER BY month
