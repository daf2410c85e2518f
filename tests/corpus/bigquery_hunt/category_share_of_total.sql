-- name: category_share_of_total
-- description: Each category's share of total revenue in percent (SUM over SUM() OVER (), NUMERIC division, ROUND).
-- expect: portable
SELECT
  p.category,
  SUM(f.amount) AS revenue,
  SUM(f.amount) / SUM(SUM(f.amount)) OVER () AS share,
  ROUND(100 * SUM(f.amount) / SUM(SUM(f.amount)) OVER (), 2) AS share_pct,
  RANK() OVER (ORDER BY SUM(f.amount) DESC) AS revenue_rank,
  PERCENT_RANK() OVER (ORDER BY SUM(f.amount)) AS pct_rank,
  NTILE(3) OVER (ORDER BY SUM(f.amount) DESC, p.category) AS tercile
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_product') }} AS p ON p.product_id = f.product_id
GROUP BY p.category
ORDER BY p.category
