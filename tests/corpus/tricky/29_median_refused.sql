-- name: median_refused
-- expect: unportable on bigquery; MEDIAN is not an aggregate on BigQuery (use the portable median pattern)
SELECT channel, median(amount) AS median_amount
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
