-- name: calendar_parts_and_split_part
-- expect: portable; dayofyear/isoyear/yearweek and split_part are DuckDB names BigQuery lacks (Snowflake: ISO forms)
SELECT dayofyear(order_date) AS doy, EXTRACT(DOY FROM order_date) AS doy2, isoyear(order_date) AS iso_year,
  yearweek(order_date) AS year_week, split_part(order_id, '-', 1) AS id_head, split_part(order_id, '-', 9) AS past_end,
  split_part(payment_method, '_', 2) AS method_tail, COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE order_date < DATE '2023-01-15' OR order_date > DATE '2024-12-20'
GROUP BY 1, 2, 3, 4, 5, 6, 7
ORDER BY 1, 2, 3, 4, 5, 6, 7
