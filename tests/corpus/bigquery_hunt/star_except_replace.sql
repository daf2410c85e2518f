-- name: star_except_replace
-- description: Dimension rows without one column and with a cleaned one (SELECT * EXCEPT, SELECT * REPLACE).
-- expect: portable
WITH clean AS (
  SELECT * EXCEPT (region_id) REPLACE (UPPER(country) AS country, IFNULL(gender, 'U') AS gender)
  FROM {{ ref('dim_customer') }}
)
SELECT country, gender, COUNT(*) AS customers, MIN(signup_date) AS first_signup
FROM clean
GROUP BY country, gender
ORDER BY country, gender
