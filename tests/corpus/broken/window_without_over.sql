-- ROW_NUMBER needs an OVER clause.
-- expect: bigquery 7:3 ROW_NUMBER cannot be called without an OVER clause
-- expect: snowflake 7:3 Window functions are not supported here
-- expect: duckdb 7:3 Window functions are not supported here
SELECT
  order_id,
  ROW_NUMBER() AS rn
FROM {{ ref('fact_sales') }}
