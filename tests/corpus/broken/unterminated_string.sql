-- A string literal that is never closed: reported where it opens, not as 100 characters of context.
-- expect: bigquery 8:16 unterminated string: the ' opened here is never closed
-- expect: snowflake 8:16 unterminated string: the ' opened here is never closed
-- expect: duckdb 8:16 unterminated string: the ' opened here is never closed
SELECT channel,
  COUNT(*) AS orders
FROM {{ ref('fact_sales') }}
WHERE status = 'shipped
GROUP BY channel
