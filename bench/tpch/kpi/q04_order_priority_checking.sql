-- name: q04_order_priority_checking
-- description: TPC-H Q4 (EXISTS as a join to late orders). Orders of a year with a line received after its commit date.
-- grain: order priority
-- owner: bench
-- tags: [tpch]
WITH late AS (
  SELECT DISTINCT l_orderkey FROM {{ ref('lineitem') }} WHERE l_commitdate < l_receiptdate
)
SELECT o.o_orderpriority, COUNT(*) AS order_count
FROM {{ ref('orders') }} AS o
JOIN late ON late.l_orderkey = o.o_orderkey
WHERE o.o_orderdate >= DATE '1993-07-01' AND o.o_orderdate < DATE '1994-07-01'
GROUP BY o.o_orderpriority
ORDER BY o.o_orderpriority
