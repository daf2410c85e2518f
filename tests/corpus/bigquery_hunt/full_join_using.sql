-- name: full_join_using
-- description: Revenue per country in 2023 against 2024 with countries present in only one year (FULL OUTER JOIN USING, COALESCE).
-- expect: portable
WITH r23 AS (
  SELECT c.country, SUM(f.amount) AS revenue
  FROM {{ ref('fact_sales') }} AS f JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id
  WHERE EXTRACT(YEAR FROM f.order_date) = 2023 AND c.country <> 'US'
  GROUP BY c.country
),
r24 AS (
  SELECT c.country, SUM(f.amount) AS revenue
  FROM {{ ref('fact_sales') }} AS f JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id
  WHERE EXTRACT(YEAR FROM f.order_date) = 2024 AND c.country <> 'DE'
  GROUP BY c.country
)
SELECT country, COALESCE(r23.revenue, 0) AS revenue_2023, COALESCE(r24.revenue, 0) AS revenue_2024,
  r24.revenue - r23.revenue AS change
FROM r23 FULL OUTER JOIN r24 USING (country)
ORDER BY country
