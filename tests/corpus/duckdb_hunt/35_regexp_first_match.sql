-- name: regexp_first_match
-- expect: unportable on athena, redshift; regexp_replace without 'g' replaces the first match only (Trino and Redshift replace every match)
SELECT regexp_replace(lower(status), '[aeiou]', '*') AS first_vowel_masked,
  regexp_replace(order_id, '0+', '') AS first_zeros_dropped,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE sale_id <= 20
GROUP BY 1, 2
ORDER BY 1, 2
