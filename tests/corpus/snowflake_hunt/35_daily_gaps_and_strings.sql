-- name: daily_gaps_and_strings
-- description: Daily revenue per channel around Black Friday with the previous day's value that had sales (LAG
--   IGNORE NULLS), next month start (DATE_FROM_PARTS carrying December over), CONCAT_WS, REGEXP_COUNT, CEIL to tens,
--   AVG of an integer column, and string pieces (SUBSTR, RIGHT, REPLACE, UPPER).
WITH daily AS (
  SELECT order_date, channel, SUM(amount) AS revenue, AVG(quantity) AS avg_qty, MIN(order_id) AS first_order
  FROM {{ ref('fact_sales') }}
  WHERE order_date BETWEEN '2024-11-20' AND '2024-12-05'
  GROUP BY ALL
)
SELECT
  order_date,
  channel,
  revenue,
  avg_qty,
  LAG(revenue) IGNORE NULLS OVER (PARTITION BY channel ORDER BY order_date) AS prev_revenue,
  DATE_FROM_PARTS(YEAR(order_date), MONTH(order_date) + 1, 1) AS next_month,
  CONCAT_WS('/', UPPER(SUBSTR(channel, 1, 3)), TO_CHAR(order_date, 'DD')) AS tag,
  REGEXP_COUNT(channel, '[aeiou]') AS vowels,
  CEIL(revenue, -1) AS revenue_tens,
  RIGHT(REPLACE(first_order, '-', ''), 4) AS first_order_tail
FROM daily
ORDER BY order_date, channel
