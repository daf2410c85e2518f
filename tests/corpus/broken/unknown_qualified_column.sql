-- A qualified column that the aliased table does not have.
-- expect: bigquery 8:5 Name lifetime_value not found inside c
-- expect: snowflake 8:5 Unknown column: LIFETIME_VALUE
-- expect: duckdb 8:3 does not have a column named "lifetime_value"
SELECT
  s.order_id,
  c.customer_name,
  c.lifetime_value
FROM {{ ref('fact_sales') }} AS s
JOIN {{ ref('dim_customer') }} AS c ON c.customer_id = s.customer_id
