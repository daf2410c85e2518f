-- name: integer_division
-- expect: portable; INT / INT is a DOUBLE (Snowflake would keep 6 decimals)
SELECT channel, SUM(quantity) / COUNT(*) AS units_per_line, 1 / 3 AS third
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
