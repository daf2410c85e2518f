-- `p` is not an alias in this query.
-- expect: bigquery 7:3 Unrecognized name: p
-- expect: snowflake 7:5 invalid identifier 'PRODUCT_NAME'
-- expect: duckdb 7:3 Referenced table "p" not found
SELECT
  s.order_id,
  p.product_name
FROM {{ ref('fact_sales') }} AS s
