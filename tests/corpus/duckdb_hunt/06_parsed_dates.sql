-- name: parsed_dates
-- expect: portable
SELECT make_date(CAST(extract(year FROM order_date) AS INTEGER), CAST(extract(month FROM order_date) AS INTEGER), 1)
    AS month_start,
  last_day(order_date) AS month_end,
  strptime(strftime(order_date, '%Y-%m-%d'), '%Y-%m-%d') AS parsed,
  COUNT(*) AS lines
FROM {{ ref('fact_sales') }}
WHERE order_date >= DATE '2024-02-25' AND order_date < DATE '2024-03-03'
GROUP BY 1, 2, 3
ORDER BY 3
