-- name: mode_gender
-- expect: portable
SELECT country, mode(gender) AS most_common_gender, COUNT(*) AS customers
FROM {{ ref('dim_customer') }}
GROUP BY country
ORDER BY country
