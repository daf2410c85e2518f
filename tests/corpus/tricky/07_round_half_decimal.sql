-- name: round_half_decimal
-- expect: portable; ROUND of DECIMAL halves goes away from zero on every engine
SELECT x, ROUND(x) AS r0, ROUND(x, 1) AS r1
FROM (SELECT CAST(unit_price AS DECIMAL(10, 2)) - 0.5 AS x FROM {{ ref('fact_sales') }} WHERE sale_id <= 20) AS t
ORDER BY x
