-- name: city_name_cleanup
-- description: Amazon cities normalised (LOWER, UPPER, INITCAP, LPAD, LENGTH, STARTS_WITH, REVERSE) with their order counts.
-- expect: portable
SELECT
  INITCAP(ship_city) AS city,
  UPPER(ship_state) AS state,
  LOWER(Category) AS category,
  LPAD(CAST(COUNT(*) AS STRING), 5, '0') AS orders_padded,
  MAX(LENGTH(ship_city)) AS name_length,
  LOGICAL_OR(STARTS_WITH(ship_city, 'B')) AS starts_with_b,
  MIN(REVERSE(ship_state)) AS reversed_state,
  MIN(TRIM(CONCAT('  ', Size, ' '))) AS smallest_size
FROM {{ ref('amazon_sales_gold') }}
GROUP BY 1, 2, 3
ORDER BY 1, 3
LIMIT 40
