-- name: gender_page
-- description: Customers per gender and birth decade, second page of five (NULL genders sort last ascending).
SELECT
  gender,
  FLOOR(birth_year / 10) * 10 AS decade,
  COUNT(*) AS customers
FROM {{ ref('dim_customer') }}
GROUP BY gender, decade
ORDER BY gender, decade DESC
LIMIT 5 OFFSET 5
