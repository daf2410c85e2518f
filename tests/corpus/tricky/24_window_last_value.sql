-- name: window_last_value
-- expect: portable; LAST_VALUE with the default frame (Snowflake would default to the whole partition)
WITH daily AS (
  SELECT channel, order_date, SUM(amount) AS revenue FROM {{ ref('fact_sales') }} GROUP BY channel, order_date
)
SELECT channel, order_date, LAST_VALUE(revenue) OVER (PARTITION BY channel ORDER BY order_date) AS last_so_far
FROM daily
ORDER BY channel, order_date
