-- name: rollup_cube
-- expect: portable
SELECT channel, status, COUNT(*) AS lines, SUM(amount) AS revenue
FROM {{ ref('fact_sales') }}
GROUP BY ROLLUP (channel, status)
HAVING COUNT(*) > 5
ORDER BY channel NULLS LAST, status NULLS LAST
