-- name: days_between_orders
-- description: Average and longest gap in days between a customer's consecutive orders (LAG, DATE_DIFF), by gender.
-- expect: portable
WITH gaps AS (
  SELECT
    f.customer_id,
    DATE_DIFF(f.order_date, LAG(f.order_date) OVER (PARTITION BY f.customer_id ORDER BY f.order_date, f.sale_id), DAY)
      AS gap_days,
    LEAD(f.amount) OVER (PARTITION BY f.customer_id ORDER BY f.order_date, f.sale_id) AS next_amount
  FROM {{ ref('fact_sales') }} AS f
)
SELECT
  IFNULL(c.gender, 'unknown') AS gender,
  ROUND(AVG(g.gap_days), 4) AS avg_gap_days,
  MAX(g.gap_days) AS max_gap_days,
  COUNTIF(g.gap_days = 0) AS same_day_repeats,
  COUNTIF(g.next_amount IS NULL) AS last_lines
FROM gaps AS g
JOIN {{ ref('dim_customer') }} AS c USING (customer_id)
GROUP BY gender
ORDER BY gender
