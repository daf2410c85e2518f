-- name: q10_returned_item_reporting
-- description: TPC-H Q10. Customers whose returned items lost the most revenue in a year.
-- grain: customer
-- owner: bench
-- tags: [tpch]
SELECT
  c.c_custkey,
  c.c_name,
  SUM(l.l_extendedprice * (1 - l.l_discount)) AS revenue,
  c.c_acctbal,
  n.n_name
FROM {{ ref('customer') }} AS c
JOIN {{ ref('orders') }} AS o ON o.o_custkey = c.c_custkey
JOIN {{ ref('lineitem') }} AS l ON l.l_orderkey = o.o_orderkey
JOIN {{ ref('nation') }} AS n ON n.n_nationkey = c.c_nationkey
WHERE o.o_orderdate >= DATE '1993-10-01' AND o.o_orderdate < DATE '1994-10-01' AND l.l_returnflag = 'R'
GROUP BY c.c_custkey, c.c_name, c.c_acctbal, n.n_name
ORDER BY revenue DESC, c.c_custkey
LIMIT 20
