-- name: week_doy_epoch
-- expect: portable
SELECT extract(week FROM order_date) AS iso_week, extract(doy FROM order_date) AS day_of_year,
  MIN(epoch(order_ts)) AS first_epoch, MAX(epoch_ms(order_ts)) AS last_epoch_ms, COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE order_date BETWEEN DATE '2023-12-20' AND DATE '2024-01-10'
GROUP BY 1, 2
ORDER BY 2, 1
