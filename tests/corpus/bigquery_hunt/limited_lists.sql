-- name: limited_lists
-- description: First three products bought per country (STRING_AGG ... ORDER BY ... LIMIT), paged list of countries (LIMIT OFFSET).
-- expect: unportable on duckdb, snowflake, athena, redshift
SELECT
  c.country,
  STRING_AGG(CAST(f.product_id AS STRING), ',' ORDER BY f.order_ts, f.sale_id LIMIT 3) AS first_products
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id
GROUP BY c.country
ORDER BY c.country
LIMIT 5 OFFSET 2
