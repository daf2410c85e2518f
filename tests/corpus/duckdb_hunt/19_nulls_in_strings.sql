-- name: nulls_in_strings
-- expect: portable
SELECT f.sale_id,
  upper(f.payment_method) AS method_upper,
  concat_ws('/', f.channel, f.payment_method, f.status) AS path,
  f.channel || '-' || f.payment_method AS piped,
  concat(f.channel, '-', f.payment_method) AS concatenated,
  coalesce(f.payment_method, 'unknown') AS method, ifnull(f.payment_method, '?') AS method2,
  nullif(f.channel, 'web') AS not_web
FROM {{ ref('fact_sales') }} f
WHERE f.sale_id <= 400 AND (f.payment_method IS NULL OR f.sale_id <= 5)
ORDER BY f.sale_id
