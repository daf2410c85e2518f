-- monthly_revenue_growth: compiled by fedkit for duckdb from monthly_revenue_growth.sql; do not edit
-- rule date-trunc: truncation of a DATE to MONTH stays a DATE
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
WITH monthly AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', order_date) AS DATE) AS month,
    SUM(amount) AS revenue
  FROM fact_sales
  WHERE
    status <> 'Cancelled'
  GROUP BY
    1
)
SELECT
  month,
  revenue,
  LAG(revenue) OVER (ORDER BY month NULLS LAST) AS previous_revenue,
  (
    revenue - LAG(revenue) OVER (ORDER BY month NULLS LAST)
  ) / NULLIF(LAG(revenue) OVER (ORDER BY month NULLS LAST), 0) AS mom_growth
FROM monthly
ORDER BY
  month NULLS LAST
