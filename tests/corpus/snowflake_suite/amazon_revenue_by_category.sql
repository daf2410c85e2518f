-- name: amazon_revenue_by_category
-- description: Revenue and order count per category on the Amazon sales gold table (cancelled orders excluded).
-- grain: category
-- owner: analytics
-- tags: [revenue, amazon]
SELECT
  Category AS category,
  SUM(Amount) AS revenue,
  COUNT(DISTINCT Order_ID) AS orders,
  SUM(Qty) AS units
FROM {{ ref('amazon_sales_gold') }}
WHERE Status <> 'Cancelled'
GROUP BY Category
ORDER BY revenue DESC, category
