-- CREATE TABLE AS: Omni cannot write managed tables; Snowflake and DuckDB check the query inside, whose column
-- does not exist (Snowflake must not complain that the new table is not a gold table).
-- expect: bigquery 6:1 BigQuery Omni: CREATE TABLE / CREATE TABLE AS SELECT
-- expect: snowflake 9:3 invalid identifier 'DISCOUNT'
-- expect: duckdb 9:3 Referenced column "discount" not found
CREATE TABLE big_orders AS
SELECT
  order_id,
  discount
FROM {{ ref('fact_sales') }}
WHERE amount > 100
