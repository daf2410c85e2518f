-- strip_accents is DuckDB's: sqlglot copies it into the Snowflake text, where fakesnow (DuckDB underneath) would run
-- it; Snowflake itself has no such function.
-- expect: bigquery 7:3 Function not found: strip_accents
-- expect: snowflake 7:3 Unknown function STRIP_ACCENTS: a DuckDB function with no Snowflake equivalent
SELECT
  order_id,
  strip_accents(status) AS plain_status
FROM {{ ref('fact_sales') }}
