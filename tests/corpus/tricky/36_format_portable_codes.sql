-- name: format_portable_codes
-- expect: portable; strftime with the portable codes (%Y %m %d) on every engine
SELECT strftime(order_date, '%Y-%m') AS month_label, strftime(order_date, '%d') AS day_label, COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
GROUP BY 1, 2
ORDER BY 1, 2
