-- Adding an integer to a string column.
-- expect: bigquery 6:3 No matching signature for operator +; Argument types: STRING, INT64
-- expect: snowflake 6:10 No function matches the given name and argument types '+(VARCHAR
-- expect: duckdb 6:10 No function matches the given name and argument types '+(VARCHAR
SELECT
  status + 1 AS bumped
FROM {{ ref('fact_sales') }}
