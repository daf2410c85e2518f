-- A table outside the gold dataset: BigQuery Omni cannot read across locations.
-- expect: bigquery 7:14 outside the configured dataset `fedkit-demo.gold`
-- expect: snowflake 7:14 'finance.fx_rates' does not exist
-- expect: duckdb 7:6 fx_rates" does not exist
SELECT s.order_id, f.rate
FROM {{ ref('fact_sales') }} AS s
JOIN finance.fx_rates AS f ON f.day = s.order_date
