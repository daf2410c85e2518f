-- name: regexp_extract_misses
-- expect: portable
SELECT regexp_extract(status, 'ed$') AS ed_suffix, regexp_extract(channel, '([a-z]+)place', 1) AS market,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1, 2
ORDER BY 1, 2
