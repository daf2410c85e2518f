-- A table outside the gold dataset: a dataset-qualified name must name a gold table (by its last part).
-- expect: bigquery 7:6 table 'finance.fx_rates' is not a gold table (matched by its last part 'fx_rates'); known: amazon_sales_gold
-- expect: snowflake 7:6 table 'finance.fx_rates' is not a gold table
-- expect: duckdb 7:6 table 'finance.fx_rates' is not a gold table
SELECT s.order_id, f.rate
FROM {{ ref('fact_sales') }} AS s
JOIN finance.fx_rates AS f ON f.day = s.order_date
