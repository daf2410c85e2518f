-- name: discount_thresholds
-- description: Lines at or above each discount threshold (UNNEST of an array literal, CROSS JOIN).
-- expect: portable
SELECT
  threshold,
  COUNTIF(f.discount_pct >= threshold) AS lines_at_or_above,
  SUM(IF(f.discount_pct >= threshold, f.amount, 0)) AS revenue_at_or_above
FROM {{ ref('fact_sales') }} AS f
CROSS JOIN UNNEST([0.0, 0.1, 0.2, 0.3]) AS threshold
GROUP BY threshold
ORDER BY threshold
