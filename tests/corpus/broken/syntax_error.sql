-- An unclosed parenthesis (opened on line 8); the parser notices at ORDER BY, line 9.
-- expect: bigquery 9:1 syntax error (duckdb): Expecting )
-- expect: snowflake 9:1 syntax error (duckdb): Expecting )
-- expect: duckdb 9:1 syntax error (duckdb): Expecting )
SELECT order_id
FROM {{ ref('fact_sales') }}
WHERE
  (quantity > 1
ORDER BY order_id
