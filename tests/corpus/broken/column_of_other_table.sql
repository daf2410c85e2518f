-- `country` lives in dim_customer, not in fact_sales (DuckDB binds GROUP BY first and points there).
-- expect: bigquery 6:3 Unrecognized name: country
-- expect: snowflake 6:3 invalid identifier 'COUNTRY'
-- expect: duckdb 9:10 Referenced column "country" not found
SELECT
  country,
  COUNT(*) AS orders
FROM {{ ref('fact_sales') }}
GROUP BY country
