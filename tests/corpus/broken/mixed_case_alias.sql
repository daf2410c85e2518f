-- Two aliases that differ only by case are one name on every engine (BigQuery, DuckDB and unquoted Snowflake
-- expect: bigquery 12:18 Column name revenue is ambiguous
-- expect: snowflake 12:18 ambiguous column name 'REVENUE'
-- names are case-insensitive), so `revenue` is ambiguous.
WITH priced AS (
  SELECT
    order_id,
    amount AS Revenue,
    unit_price * quantity AS revenue
  FROM {{ ref('fact_sales') }}
)
SELECT order_id, revenue
FROM priced
