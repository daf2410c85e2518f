-- name: divide_by_zero_nullif
-- expect: portable; x / NULLIF(0, 0) is NULL everywhere
SELECT channel,
  SUM(CASE WHEN status = 'Returned' THEN amount ELSE 0 END) / NULLIF(COUNT_IF(status = 'Nope'), 0) AS never
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
