-- A median of DISTINCT values has no exact native form on the clouds: the compiler refuses it with an alternative.
-- expect: bigquery 6:3 MEDIAN of DISTINCT values has no exact form on bigquery
-- expect: snowflake 6:3 MEDIAN of DISTINCT values has no exact form on snowflake
SELECT
  channel,
  median(DISTINCT amount) AS median_amount
FROM {{ ref('fact_sales') }}
GROUP BY channel
