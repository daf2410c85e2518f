-- name: like_and_coalesce
-- expect: portable; LIKE patterns and COALESCE of a NULL group
SELECT COALESCE(payment_method, '(none)') AS method, COUNT_IF(channel LIKE 'w%') AS web_lines, COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1
ORDER BY 1
