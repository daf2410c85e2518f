-- Aggregates belong in HAVING, not WHERE.
-- expect: bigquery 7:7 Aggregate function SUM not allowed in WHERE
-- expect: snowflake 7:7 WHERE clause cannot contain aggregates
-- expect: duckdb 7:7 WHERE clause cannot contain aggregates
SELECT channel
FROM {{ ref('fact_sales') }}
WHERE SUM(amount) > 100
GROUP BY channel
