-- name: extract_parts
-- expect: portable; EXTRACT of year and month from a DATE
SELECT EXTRACT(YEAR FROM order_date) AS y, EXTRACT(MONTH FROM order_date) AS m, COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1, 2
ORDER BY 1, 2
