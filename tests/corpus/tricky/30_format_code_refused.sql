-- name: format_code_refused
-- expect: unportable on bigquery, snowflake; %A (weekday name) has no portable translation
SELECT strftime(order_date, '%A') AS weekday_name, COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1
ORDER BY 1
