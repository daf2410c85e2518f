-- name: string_agg_separator
-- expect: portable; STRING_AGG keeps its ',' default separator (Snowflake LISTAGG defaults to '')
SELECT category, STRING_AGG(DISTINCT brand ORDER BY brand) AS brands
FROM {{ ref('dim_product') }}
GROUP BY category
ORDER BY category
