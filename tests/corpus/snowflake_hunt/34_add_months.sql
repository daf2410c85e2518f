-- name: add_months
-- description: Renewal dates one month after each month-end order (ADD_MONTHS keeps month ends), DATE_FROM_PARTS.
SELECT DISTINCT
  order_date,
  ADD_MONTHS(order_date, 1) AS renewal,
  DATEADD(month, 1, order_date) AS renewal_dateadd,
  DATE_FROM_PARTS(YEAR(order_date), MONTH(order_date), 1) AS month_start
FROM {{ ref('fact_sales') }}
WHERE order_date = LAST_DAY(order_date) AND MONTH(order_date) IN (1, 2, 4)
ORDER BY order_date
