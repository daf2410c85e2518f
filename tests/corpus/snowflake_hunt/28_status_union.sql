-- name: status_union
-- description: Big statuses and big channels in one list (HAVING, UNION ALL).
SELECT 'status' AS kind, status AS name, COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY status
HAVING COUNT(*) > 50
UNION ALL
SELECT 'channel', channel, COUNT(*)
FROM {{ ref('fact_sales') }}
GROUP BY channel
HAVING SUM(amount) > 1000
ORDER BY kind, lines DESC, name
