-- The CTE does not select `channel`.
-- expect: bigquery 12:3 Unrecognized name: channel
-- expect: snowflake 12:3 invalid identifier 'CHANNEL'
-- expect: duckdb 12:3 Referenced column "channel" not found
WITH daily AS (
  SELECT order_date, SUM(amount) AS revenue
  FROM {{ ref('fact_sales') }}
  GROUP BY order_date
)
SELECT
  order_date,
  channel,
  revenue
FROM daily
