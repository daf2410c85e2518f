-- name: q21_suppliers_who_kept_orders_waiting
-- description: TPC-H Q21 (decorrelated, every nation). Suppliers who alone were late on multi-supplier orders.
-- grain: supplier
-- owner: bench
-- tags: [tpch]
WITH per_order AS (
  SELECT
    l_orderkey,
    COUNT(DISTINCT l_suppkey) AS suppliers,
    COUNT(DISTINCT CASE WHEN l_receiptdate > l_commitdate THEN l_suppkey END) AS late_suppliers
  FROM {{ ref('lineitem') }}
  GROUP BY l_orderkey
)
SELECT s.s_name, n.n_name, COUNT(*) AS numwait
FROM {{ ref('supplier') }} AS s
JOIN {{ ref('lineitem') }} AS l1 ON l1.l_suppkey = s.s_suppkey
JOIN {{ ref('orders') }} AS o ON o.o_orderkey = l1.l_orderkey
JOIN per_order AS po ON po.l_orderkey = l1.l_orderkey
JOIN {{ ref('nation') }} AS n ON n.n_nationkey = s.s_nationkey
WHERE o.o_orderstatus = 'F' AND l1.l_receiptdate > l1.l_commitdate AND po.suppliers > 1 AND po.late_suppliers = 1
GROUP BY s.s_name, n.n_name
ORDER BY numwait DESC, s.s_name
LIMIT 100
