-- name: split_and_index
-- expect: portable
SELECT split_part("Order_ID", '-', 1) AS shop, string_split("Order_ID", '-')[2] AS middle,
  split_part(split_part("Order_ID", '-', 3), '0', 1) AS tail_head,
  COUNT(*) AS lines
FROM {{ ref('amazon_sales_gold') }}
GROUP BY 1, 2, 3
ORDER BY 4 DESC, 1, 2, 3
LIMIT 10
