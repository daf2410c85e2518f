-- name: q20_potential_part_promotion
-- description: TPC-H Q20 (decorrelated, American suppliers, forest or green parts). Suppliers with stock to spare.
-- grain: supplier
-- owner: bench
-- tags: [tpch]
WITH shipped AS (
  SELECT l_partkey, l_suppkey, SUM(l_quantity) AS quantity
  FROM {{ ref('lineitem') }}
  GROUP BY l_partkey, l_suppkey
),
spare AS (
  SELECT DISTINCT ps.ps_suppkey
  FROM {{ ref('partsupp') }} AS ps
  JOIN {{ ref('part') }} AS p ON p.p_partkey = ps.ps_partkey
  JOIN shipped AS sh ON sh.l_partkey = ps.ps_partkey AND sh.l_suppkey = ps.ps_suppkey
  WHERE (p.p_name LIKE '%forest%' OR p.p_name LIKE '%green%') AND ps.ps_availqty > 0.5 * sh.quantity
)
SELECT s.s_name, s.s_address, n.n_name
FROM {{ ref('supplier') }} AS s
JOIN spare ON spare.ps_suppkey = s.s_suppkey
JOIN {{ ref('nation') }} AS n ON n.n_nationkey = s.s_nationkey
JOIN {{ ref('region') }} AS r ON r.r_regionkey = n.n_regionkey
WHERE r.r_name = 'AMERICA'
ORDER BY s.s_name
