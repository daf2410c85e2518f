-- name: churned_customers
-- description: Customers who bought in 2023 but not in 2024 (EXCEPT DISTINCT), by country.
-- expect: portable
WITH churned AS (
  SELECT customer_id FROM {{ ref('fact_sales') }} WHERE EXTRACT(YEAR FROM order_date) = 2023
  EXCEPT DISTINCT
  SELECT customer_id FROM {{ ref('fact_sales') }} WHERE EXTRACT(YEAR FROM order_date) = 2024
)
SELECT c.country, COUNT(*) AS churned
FROM churned
JOIN {{ ref('dim_customer') }} AS c USING (customer_id)
GROUP BY c.country
ORDER BY churned DESC, c.country
