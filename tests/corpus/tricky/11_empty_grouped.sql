-- name: empty_grouped
-- expect: portable; a GROUP BY over no rows returns no rows
SELECT channel, COUNT(*) AS n
FROM {{ ref('fact_sales') }}
WHERE quantity < 0
GROUP BY channel
ORDER BY channel
