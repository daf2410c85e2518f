-- name: null_amount_handling
-- description: Amazon amounts with missing values (SUM/COUNT of a nullable NUMERIC vs AVG, COALESCE(SUM, 0) on empty groups, CASE on NULL, REPLACE/TRANSLATE).
-- expect: portable
SELECT
  Category,
  SUM(Amount) / COUNT(Amount) AS mean_known,
  AVG(Amount) AS avg_amount,
  COALESCE(SUM(IF(Status = 'Nope', Amount, NULL)), 0) AS none_matched,
  COUNTIF(CASE WHEN Amount IS NULL THEN TRUE ELSE FALSE END) AS missing,
  MIN(REPLACE(LOWER(ship_state), ' ', '_')) AS state_key,
  MIN(TRANSLATE(ship_city, 'AEIOU', 'aeiou')) AS soft_city
FROM {{ ref('amazon_sales_gold') }}
GROUP BY Category
ORDER BY Category
