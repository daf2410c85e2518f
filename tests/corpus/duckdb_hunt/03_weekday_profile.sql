-- name: weekday_profile
-- expect: portable
SELECT extract(dow FROM order_date) AS dow, extract(isodow FROM order_date) AS isodow,
  date_part('hour', order_ts) AS hour_of_day,
  COUNT(*) AS lines, SUM(quantity) AS units
FROM {{ ref('fact_sales') }}
WHERE order_date >= DATE '2024-06-01'
GROUP BY 1, 2, 3
ORDER BY 1, 3
