-- %A (weekday name) has no portable translation: the compiler refuses it for BigQuery and Snowflake, at the string.
-- expect: bigquery 6:24 format code(s) %A have no portable translation
-- expect: snowflake 6:24 format code(s) %A have no portable translation
SELECT
  channel,
  strftime(order_date, '%d %A') AS day_label
FROM {{ ref('fact_sales') }}
