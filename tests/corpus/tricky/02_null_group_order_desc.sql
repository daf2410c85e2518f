-- name: null_group_order_desc
-- expect: portable; DESC keeps NULL last as in DuckDB (Snowflake DESC would put it first)
SELECT gender, COUNT(*) AS customers
FROM {{ ref('dim_customer') }}
GROUP BY gender
ORDER BY gender DESC
