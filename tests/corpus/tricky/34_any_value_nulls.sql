-- name: any_value_nulls
-- expect: portable; DuckDB ANY_VALUE skips NULLs (a group with a non-NULL value never answers NULL)
SELECT f.channel,
  ANY_VALUE(CASE WHEN f.status = 'Cancelled' THEN f.channel END) AS channel_if_cancelled,
  ANY_VALUE(p.category) AS some_category_is_known
FROM {{ ref('fact_sales') }} f
JOIN {{ ref('dim_product') }} p ON p.product_id = f.product_id
WHERE p.category = 'Books' OR p.category IS NULL
GROUP BY f.channel
ORDER BY f.channel
