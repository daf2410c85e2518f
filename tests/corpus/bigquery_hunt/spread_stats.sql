-- name: spread_stats
-- description: Dispersion of line amounts per channel (STDDEV, VARIANCE, STDDEV_POP, CORR, MIN/MAX, COUNTIF on NULL).
-- expect: portable
SELECT
  channel,
  ROUND(STDDEV(amount), 6) AS sd,
  ROUND(VARIANCE(discount_pct), 8) AS var_discount,
  ROUND(STDDEV_POP(quantity), 8) AS sd_pop_qty,
  ROUND(CORR(quantity, discount_pct), 8) AS corr_qty_discount,
  COUNTIF(payment_method = 'visa') AS visa_lines,
  MAX(amount) - MIN(amount) AS amount_range
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
