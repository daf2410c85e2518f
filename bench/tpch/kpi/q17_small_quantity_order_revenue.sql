-- name: q17_small_quantity_order_revenue
-- description: TPC-H Q17 (decorrelated, per brand). Yearly revenue lost without lines under half their brand's average quantity.
-- grain: brand
-- owner: bench
-- tags: [tpch]
WITH brand_avg AS (
  SELECT p.p_brand, AVG(CAST(l.l_quantity AS DOUBLE)) AS avg_qty
  FROM {{ ref('lineitem') }} AS l
  JOIN {{ ref('part') }} AS p ON p.p_partkey = l.l_partkey
  GROUP BY p.p_brand
)
SELECT p.p_brand, CAST(SUM(l.l_extendedprice) AS DOUBLE) / 7.0 AS avg_yearly, COUNT(*) AS lines
FROM {{ ref('lineitem') }} AS l
JOIN {{ ref('part') }} AS p ON p.p_partkey = l.l_partkey
JOIN brand_avg AS b ON b.p_brand = p.p_brand
WHERE p.p_container LIKE 'MED%' AND CAST(l.l_quantity AS DOUBLE) < 0.5 * b.avg_qty
GROUP BY p.p_brand
ORDER BY p.p_brand
