-- name: first_and_last_product
-- description: How often a customer's first product (FIRST_VALUE) equals their last (LAST_VALUE, full frame), by country.
-- expect: portable
WITH ordered AS (
  SELECT
    f.customer_id,
    FIRST_VALUE(f.product_id) OVER w AS first_product,
    LAST_VALUE(f.product_id) OVER (PARTITION BY f.customer_id ORDER BY f.order_ts, f.sale_id
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_product,
    NTH_VALUE(f.product_id, 2) OVER (PARTITION BY f.customer_id ORDER BY f.order_ts, f.sale_id
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS second_product
  FROM {{ ref('fact_sales') }} AS f
  WINDOW w AS (PARTITION BY f.customer_id ORDER BY f.order_ts, f.sale_id)
)
SELECT
  c.country,
  COUNT(DISTINCT o.customer_id) AS customers,
  COUNT(DISTINCT IF(o.first_product = o.last_product, o.customer_id, NULL)) AS loyal_customers,
  COUNT(DISTINCT IF(o.second_product IS NULL, o.customer_id, NULL)) AS single_line_customers
FROM ordered AS o
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = o.customer_id
GROUP BY c.country
ORDER BY c.country
