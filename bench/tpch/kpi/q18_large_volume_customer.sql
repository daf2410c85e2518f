-- name: q18_large_volume_customer
-- description: TPC-H Q18 (threshold 200, IN as a join). Customers with orders of a large total quantity.
-- grain: order
-- owner: bench
-- tags: [tpch]
WITH large AS (
  SELECT l_orderkey FROM {{ ref('lineitem') }} GROUP BY l_orderkey HAVING SUM(l_quantity) > 200
)
SELECT c.c_name, c.c_custkey, o.o_orderkey, o.o_orderdate, o.o_totalprice, SUM(l.l_quantity) AS quantity
FROM {{ ref('customer') }} AS c
JOIN {{ ref('orders') }} AS o ON o.o_custkey = c.c_custkey
JOIN large ON large.l_orderkey = o.o_orderkey
JOIN {{ ref('lineitem') }} AS l ON l.l_orderkey = o.o_orderkey
GROUP BY c.c_name, c.c_custkey, o.o_orderkey, o.o_orderdate, o.o_totalprice
ORDER BY o.o_totalprice DESC, o.o_orderdate, o.o_orderkey
LIMIT 100
