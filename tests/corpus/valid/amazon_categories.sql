-- The Amazon-style table keeps mixed-case column names; they resolve case-insensitively everywhere.
SELECT
  Category,
  SUM(Qty) AS units,
  SUM(CASE WHEN B2B THEN Amount ELSE 0 END) AS b2b_amount
FROM {{ ref('amazon_sales_gold') }}
GROUP BY Category
