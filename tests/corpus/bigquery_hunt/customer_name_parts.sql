-- name: customer_name_parts
-- description: First names (SPLIT with SAFE_OFFSET and OFFSET), name lengths and word counts per gender.
-- expect: portable
SELECT
  SPLIT(customer_name, ' ')[SAFE_OFFSET(0)] AS first_name,
  COUNT(*) AS customers,
  MAX(ARRAY_LENGTH(SPLIT(customer_name, ' '))) AS words,
  MIN(SPLIT(customer_name, ' ')[OFFSET(1)]) AS first_last_name,
  COUNTIF(SPLIT(customer_name, ' ')[SAFE_OFFSET(2)] IS NULL) AS two_word_names
FROM {{ ref('dim_customer') }}
GROUP BY first_name
ORDER BY customers DESC, first_name
LIMIT 10
