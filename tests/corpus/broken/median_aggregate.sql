-- MEDIAN is not an aggregate function on BigQuery: the compiler refuses it with an alternative.
-- expect: bigquery 5:3 MEDIAN is not an aggregate function on BigQuery
SELECT
  channel,
  median(amount) AS median_amount
FROM {{ ref('fact_sales') }}
GROUP BY channel
