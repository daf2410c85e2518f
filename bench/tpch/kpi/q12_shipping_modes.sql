-- name: q12_shipping_modes
-- description: TPC-H Q12. Late lines by ship mode, split by order priority.
-- grain: ship mode
-- owner: bench
-- tags: [tpch]
SELECT
  l.l_shipmode,
  SUM(CASE WHEN o.o_orderpriority IN ('1-URGENT', '2-HIGH') THEN 1 ELSE 0 END) AS high_line_count,
  SUM(CASE WHEN o.o_orderpriority NOT IN ('1-URGENT', '2-HIGH') THEN 1 ELSE 0 END) AS low_line_count
FROM {{ ref('orders') }} AS o
JOIN {{ ref('lineitem') }} AS l ON l.l_orderkey = o.o_orderkey
WHERE l.l_shipmode IN ('MAIL', 'SHIP') AND l.l_commitdate < l.l_receiptdate AND l.l_shipdate < l.l_commitdate
  AND l.l_receiptdate >= DATE '1994-01-01' AND l.l_receiptdate < DATE '1995-01-01'
GROUP BY l.l_shipmode
ORDER BY l.l_shipmode
