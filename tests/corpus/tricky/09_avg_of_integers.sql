-- name: avg_of_integers
-- expect: portable; AVG of integers and decimals is a DOUBLE
SELECT channel, AVG(quantity) AS avg_units, AVG(amount) AS avg_amount
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
