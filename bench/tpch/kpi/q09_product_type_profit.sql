-- name: q09_product_type_profit
-- description: TPC-H Q9. Profit on green parts per supplier nation and year.
-- grain: nation x year
-- owner: bench
-- tags: [tpch]
SELECT
  n.n_name AS nation,
  EXTRACT(YEAR FROM o.o_orderdate) AS o_year,
  SUM(l.l_extendedprice * (1 - l.l_discount) - ps.ps_supplycost * l.l_quantity) AS sum_profit
FROM {{ ref('part') }} AS p
JOIN {{ ref('lineitem') }} AS l ON l.l_partkey = p.p_partkey
JOIN {{ ref('partsupp') }} AS ps ON ps.ps_suppkey = l.l_suppkey AND ps.ps_partkey = l.l_partkey
JOIN {{ ref('supplier') }} AS s ON s.s_suppkey = l.l_suppkey
JOIN {{ ref('orders') }} AS o ON o.o_orderkey = l.l_orderkey
JOIN {{ ref('nation') }} AS n ON n.n_nationkey = s.s_nationkey
WHERE p.p_name LIKE '%green%'
GROUP BY nation, o_year
ORDER BY nation, o_year DESC
