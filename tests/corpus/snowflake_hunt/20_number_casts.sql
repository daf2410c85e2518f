-- name: number_casts
-- description: Discount amounts cast to NUMBER(10,2) and integers (Snowflake rounds half away from zero).
SELECT
  status,
  SUM((amount * discount_pct)::NUMBER(10, 2)) AS discount_amount,
  SUM((unit_price * 1.1)::NUMBER(10, 2)) AS uplifted_price,
  SUM((discount_pct * 10)::INTEGER) AS discount_tenths,
  SUM(CAST(unit_price AS INTEGER)) AS whole_prices,
  SUM(CAST(discount_pct * 100 AS NUMBER(5, 0))) AS discount_points
FROM {{ ref('fact_sales') }}
GROUP BY status
ORDER BY status
