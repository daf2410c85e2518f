-- name: round_integer
-- expect: portable; ROUND of an integer stays an integer (BigQuery would return FLOAT64)
SELECT channel, ROUND(SUM(quantity), -1) AS units_rounded
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
