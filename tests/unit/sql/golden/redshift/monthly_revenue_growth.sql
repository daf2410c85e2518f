-- monthly_revenue_growth: compiled by fedkit for redshift from monthly_revenue_growth.sql; do not edit
-- rule float-division: x / y computes in DOUBLE as the source does (no fixed-point or NUMERIC division)
-- rule date-trunc: truncation of a DATE to MONTH stays a DATE
-- rule date-trunc: Redshift DATE_TRUNC of a DATE is cast back to DATE (it returns a TIMESTAMP)
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
WITH monthly AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', order_date) AS DATE) AS month,
    SUM(amount) AS revenue
  FROM gold_spectrum.fact_sales
  WHERE
    status <> 'Cancelled'
  GROUP BY
    1
)
SELECT
  month,
  revenue,
  LAG(revenue) OVER (ORDER BY month NULLS LAST) AS previous_revenue,
  CAST(revenue - LAG(revenue) OVER (ORDER BY month NULLS LAST) AS DOUBLE PRECISION) / NULLIF(LAG(revenue) OVER (ORDER BY month NULLS LAST), 0) AS mom_growth
FROM monthly
ORDER BY
  month NULLS LAST
