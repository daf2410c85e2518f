-- Snowflake's IFF is not a BigQuery (or DuckDB) function: the portable form is CASE WHEN or IF.
-- expect: bigquery 6:3 Function not found: IFF
-- expect: duckdb 6:3 Scalar Function with name iff does not exist
SELECT
  order_id,
  IFF(quantity > 1, 'multi', 'single') AS basket
FROM {{ ref('fact_sales') }}
