-- name: grouping_sets
-- expect: portable
SELECT c.country, c.gender, COUNT(*) AS customers, grouping(c.country) AS country_total
FROM {{ ref('dim_customer') }} c
GROUP BY GROUPING SETS ((c.country), (c.gender), ())
ORDER BY c.country NULLS FIRST, c.gender NULLS FIRST
