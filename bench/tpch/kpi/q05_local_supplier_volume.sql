-- name: q05_local_supplier_volume
-- description: TPC-H Q5. Revenue of Asian orders supplied from the customer's own nation.
-- grain: nation
-- owner: bench
-- tags: [tpch]
SELECT n.n_name, SUM(l.l_extendedprice * (1 - l.l_discount)) AS revenue
FROM {{ ref('customer') }} AS c
JOIN {{ ref('orders') }} AS o ON o.o_custkey = c.c_custkey
JOIN {{ ref('lineitem') }} AS l ON l.l_orderkey = o.o_orderkey
JOIN {{ ref('supplier') }} AS s ON s.s_suppkey = l.l_suppkey AND s.s_nationkey = c.c_nationkey
JOIN {{ ref('nation') }} AS n ON n.n_nationkey = s.s_nationkey
JOIN {{ ref('region') }} AS r ON r.r_regionkey = n.n_regionkey
WHERE r.r_name = 'ASIA'
GROUP BY n.n_name
ORDER BY revenue DESC, n.n_name
