-- name: q19_discounted_revenue
-- description: TPC-H Q19 (wider brands, containers and sizes). Revenue of air-shipped lines of three part classes.
-- grain: total
-- owner: bench
-- tags: [tpch]
SELECT SUM(l.l_extendedprice * (1 - l.l_discount)) AS revenue, COUNT(*) AS lines
FROM {{ ref('lineitem') }} AS l
JOIN {{ ref('part') }} AS p ON p.p_partkey = l.l_partkey
WHERE l.l_shipmode IN ('AIR', 'REG AIR')
  AND (
    (p.p_brand LIKE 'Brand#1%' AND p.p_container LIKE 'SM%' AND l.l_quantity BETWEEN 1 AND 20
      AND p.p_size BETWEEN 1 AND 25)
    OR (p.p_brand LIKE 'Brand#2%' AND p.p_container LIKE 'MED%' AND l.l_quantity BETWEEN 10 AND 30
      AND p.p_size BETWEEN 1 AND 30)
    OR (p.p_brand LIKE 'Brand#3%' AND p.p_container LIKE 'LG%' AND l.l_quantity BETWEEN 20 AND 40
      AND p.p_size BETWEEN 1 AND 35)
  )
