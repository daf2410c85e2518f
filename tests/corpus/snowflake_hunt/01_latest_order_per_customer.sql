-- name: latest_order_per_customer
-- description: Each customer's most recent order line (QUALIFY on a ROW_NUMBER, IFF on its size).
SELECT
  customer_id,
  order_id,
  order_date,
  amount,
  IFF(amount >= 100, 'large', 'small') AS size_band
FROM {{ ref('fact_sales') }}
QUALIFY ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY order_ts DESC, sale_id DESC) = 1
ORDER BY customer_id
