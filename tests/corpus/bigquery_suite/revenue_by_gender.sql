-- name: revenue_by_gender
-- description: Net revenue and customers per customer gender; customers with no recorded gender form their own (NULL) group, listed last.
-- grain: gender
-- owner: analytics
-- tags: [revenue, customer]
SELECT
  c.gender,
  SUM(f.amount) AS revenue,
  COUNT(DISTINCT f.customer_id) AS customers
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id
WHERE f.status <> 'Cancelled'
GROUP BY c.gender
ORDER BY c.gender NULLS LAST
