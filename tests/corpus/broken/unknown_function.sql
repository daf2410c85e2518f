-- A function no engine has.
-- expect: bigquery 7:3 Function not found: amount_total
-- expect: snowflake 7:3 Scalar Function with name amount_total does not exist
-- expect: duckdb 7:3 Scalar Function with name amount_total does not exist
SELECT
  channel,
  amount_total(amount) AS revenue
FROM {{ ref('fact_sales') }}
GROUP BY channel
