-- name: date_trunc_quarter_year
-- expect: portable; quarter and year truncation of DATEs
SELECT date_trunc('year', order_date) AS year, date_trunc('quarter', order_date) AS quarter, SUM(amount) AS revenue
FROM {{ ref('fact_sales') }}
GROUP BY 1, 2
ORDER BY 1, 2
