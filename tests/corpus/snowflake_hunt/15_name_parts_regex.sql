-- name: name_parts_regex
-- description: Customers per first name and surname initial, with SPLIT_PART, REGEXP_SUBSTR, RLIKE and ILIKE.
SELECT
  SPLIT_PART(customer_name, ' ', 1) AS first_name,
  LEFT(REGEXP_SUBSTR(customer_name, '[A-Z][a-z]+$'), 1) AS surname_initial,
  COUNT_IF(customer_name RLIKE '[A-Z][a-z]+ [A-Z].*') AS two_part_names,
  COUNT_IF(customer_name ILIKE '%son%') AS son_names,
  COUNT(*) AS customers
FROM {{ ref('dim_customer') }}
GROUP BY 1, 2
ORDER BY 1, 2
