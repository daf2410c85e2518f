-- A column that no gold table has.
-- expect: bigquery 7:7 Unrecognized name: amount_usd
-- expect: snowflake 7:7 invalid identifier 'AMOUNT_USD'
-- expect: duckdb 7:7 Referenced column "amount_usd" not found
SELECT
  order_id,
  SUM(amount_usd) AS revenue
FROM {{ ref('fact_sales') }}
GROUP BY order_id
