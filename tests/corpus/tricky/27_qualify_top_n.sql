-- name: qualify_top_n
-- expect: portable; QUALIFY without WHERE (BigQuery needs WHERE TRUE)
SELECT category, product_id, list_price
FROM {{ ref('dim_product') }}
QUALIFY ROW_NUMBER() OVER (PARTITION BY category ORDER BY list_price DESC, product_id) <= 2
ORDER BY category, list_price DESC, product_id
