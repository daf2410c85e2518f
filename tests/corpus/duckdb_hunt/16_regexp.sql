-- name: regexp
-- expect: portable
SELECT regexp_extract(order_id, '[0-9]+') AS digits_head,
  regexp_replace(order_id, '0', '', 'g') AS no_zeros,
  regexp_matches(order_id, '7$') AS ends_in_seven,
  regexp_extract(status, 'ed$') AS ed_suffix,
  regexp_extract(channel, '([a-z]+)place', 1) AS market,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE sale_id <= 200
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 4, 5
