-- name: string_agg_ordered
-- expect: portable
SELECT country, string_agg(region, ', ' ORDER BY region) AS regions, COUNT(*) AS n
FROM {{ ref('dim_region') }}
GROUP BY country
ORDER BY country
