-- name: window_rank_ties
-- expect: portable; RANK and DENSE_RANK with ties, LAG/LEAD with NULL edges
WITH per_brand AS (
  SELECT brand, COUNT(*) AS products FROM {{ ref('dim_product') }} GROUP BY brand
)
SELECT brand, products,
  RANK() OVER (ORDER BY products DESC) AS rnk,
  DENSE_RANK() OVER (ORDER BY products DESC) AS dense_rnk,
  LAG(products) OVER (ORDER BY products DESC, brand) AS previous,
  LEAD(products) OVER (ORDER BY products DESC, brand) AS next
FROM per_brand
ORDER BY products DESC, brand
