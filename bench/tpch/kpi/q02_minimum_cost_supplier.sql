-- name: q02_minimum_cost_supplier
-- description: TPC-H Q2 (decorrelated). European suppliers offering a brass part at the lowest European cost.
-- grain: supplier x part
-- owner: bench
-- tags: [tpch]
WITH europe AS (
  SELECT ps.ps_partkey, ps.ps_suppkey, ps.ps_supplycost
  FROM {{ ref('partsupp') }} AS ps
  JOIN {{ ref('supplier') }} AS s ON s.s_suppkey = ps.ps_suppkey
  JOIN {{ ref('nation') }} AS n ON n.n_nationkey = s.s_nationkey
  JOIN {{ ref('region') }} AS r ON r.r_regionkey = n.n_regionkey
  WHERE r.r_name = 'EUROPE'
),
cheapest AS (
  SELECT ps_partkey, MIN(ps_supplycost) AS min_cost FROM europe GROUP BY ps_partkey
)
SELECT s.s_acctbal, s.s_name, n.n_name, p.p_partkey, p.p_mfgr
FROM {{ ref('part') }} AS p
JOIN europe AS e ON e.ps_partkey = p.p_partkey
JOIN cheapest AS c ON c.ps_partkey = e.ps_partkey AND c.min_cost = e.ps_supplycost
JOIN {{ ref('supplier') }} AS s ON s.s_suppkey = e.ps_suppkey
JOIN {{ ref('nation') }} AS n ON n.n_nationkey = s.s_nationkey
WHERE p.p_size <= 25 AND p.p_type LIKE '%BRASS'
ORDER BY s.s_acctbal DESC, n.n_name, s.s_name, p.p_partkey
LIMIT 100
