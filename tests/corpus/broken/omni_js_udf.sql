-- A JavaScript UDF: BigQuery Omni runs no JavaScript UDFs (found before compiling); the file is also two statements,
-- which no engine accepts as one KPI (the second one is pointed at).
-- expect: bigquery 7:59 JavaScript UDFs are not supported
-- expect: snowflake 8:1 expected exactly one SQL statement, found 2
-- expect: duckdb 8:1 expected exactly one SQL statement, found 2
-- name: js_udf
CREATE TEMP FUNCTION double_it(x FLOAT64) RETURNS FLOAT64 LANGUAGE js AS 'return x * 2';
SELECT double_it(amount) AS doubled
FROM {{ ref('fact_sales') }}
