-- name: columns_expression
-- expect: unportable on bigquery, snowflake, athena, redshift; COLUMNS() is a DuckDB star expression
SELECT channel, MAX(COLUMNS('^(quantity|amount)$'))
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
