-- name: distinct_on_latest
-- expect: portable
SELECT DISTINCT ON (customer_id) customer_id, order_date AS last_order, channel
FROM {{ ref('fact_sales') }}
WHERE customer_id <= 40
ORDER BY customer_id, order_date DESC, sale_id DESC
LIMIT 15
