-- name: customer_channel_lists
-- description: Per country, the channels used (STRING_AGG DISTINCT with ORDER BY) and the brands bought, default separator.
-- expect: portable
SELECT
  c.country,
  STRING_AGG(DISTINCT f.channel, ' | ' ORDER BY f.channel) AS channels,
  STRING_AGG(DISTINCT p.category ORDER BY p.category) AS categories,
  STRING_AGG(DISTINCT f.payment_method, ';' ORDER BY f.payment_method DESC) AS methods
FROM {{ ref('fact_sales') }} AS f
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = f.customer_id
JOIN {{ ref('dim_product') }} AS p ON p.product_id = f.product_id
GROUP BY c.country
ORDER BY c.country
