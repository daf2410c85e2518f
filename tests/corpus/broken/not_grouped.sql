-- status is neither grouped nor aggregated.
-- expect: bigquery 7:3 neither grouped nor aggregated
-- expect: snowflake 7:3 must appear in the GROUP BY clause
-- expect: duckdb 7:3 must appear in the GROUP BY clause
SELECT
  channel,
  status,
  COUNT(*) AS orders
FROM {{ ref('fact_sales') }}
GROUP BY channel
