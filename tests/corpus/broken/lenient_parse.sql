-- `> >` is no operator: sqlglot reads it as the shift `>>`, DuckDB's own parser (the source dialect's) rejects it.
-- expect: bigquery 7:16 syntax error (duckdb): syntax error at or near ">"
-- expect: snowflake 7:16 syntax error (duckdb): syntax error at or near ">"
-- expect: duckdb 7:16 syntax error (duckdb): syntax error at or near ">"
SELECT channel, SUM(amount) AS revenue
FROM {{ ref('fact_sales') }}
WHERE amount > > 10
GROUP BY channel
