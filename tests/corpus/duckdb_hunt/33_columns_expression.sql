-- name: columns_expression
-- expect: portable
SELECT channel, MAX(COLUMNS('^(quantity|amount)$'))
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
