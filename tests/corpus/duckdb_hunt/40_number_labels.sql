-- name: number_labels
-- expect: portable
SELECT channel || ': ' || CAST(SUM(amount) AS VARCHAR) AS revenue_label,
  CAST(MAX(discount_pct) AS VARCHAR) AS max_discount_text,
  CAST(MIN(unit_price) AS VARCHAR) AS cheapest
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY 1
