-- name: top_genders_nulls_last
-- description: Revenue by gender and country, unknown gender last (ORDER BY ... NULLS LAST) with a LIMIT.
-- expect: portable
SELECT c.gender, c.country, SUM(f.amount) AS revenue
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id
GROUP BY c.gender, c.country
ORDER BY c.gender DESC NULLS FIRST, revenue DESC, c.country
LIMIT 8
