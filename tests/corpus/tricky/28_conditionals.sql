-- name: conditionals
-- expect: portable; IF with a NULL condition takes the ELSE branch; COUNT_IF skips NULL conditions
SELECT IF(gender = 'F', 'female', 'other') AS g, COUNT_IF(gender = 'M') AS males, COUNT(*) AS customers
FROM {{ ref('dim_customer') }}
GROUP BY 1
ORDER BY 1
