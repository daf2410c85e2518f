-- name: q03_shipping_priority
-- description: TPC-H Q3. Unshipped orders of the building segment with the highest revenue.
-- grain: order
-- owner: bench
-- tags: [tpch]
SELECT
  l.l_orderkey,
  SUM(l.l_extendedprice * (1 - l.l_discount)) AS revenue,
  o.o_orderdate,
  o.o_shippriority
FROM {{ ref('customer') }} AS c
JOIN {{ ref('orders') }} AS o ON o.o_custkey = c.c_custkey
JOIN {{ ref('lineitem') }} AS l ON l.l_orderkey = o.o_orderkey
WHERE c.c_mktsegment = 'BUILDING' AND o.o_orderdate < DATE '1995-03-15' AND l.l_shipdate > DATE '1995-03-15'
GROUP BY l.l_orderkey, o.o_orderdate, o.o_shippriority
ORDER BY revenue DESC, o.o_orderdate, l.l_orderkey
LIMIT 10
