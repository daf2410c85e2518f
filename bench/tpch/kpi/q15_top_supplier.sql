-- name: q15_top_supplier
-- description: TPC-H Q15. The supplier(s) with the highest revenue in a quarter.
-- grain: supplier
-- owner: bench
-- tags: [tpch]
WITH revenue AS (
  SELECT l_suppkey AS supplier_no, SUM(l_extendedprice * (1 - l_discount)) AS total_revenue
  FROM {{ ref('lineitem') }}
  WHERE l_shipdate >= DATE '1996-01-01' AND l_shipdate < DATE '1996-04-01'
  GROUP BY l_suppkey
)
SELECT s.s_suppkey, s.s_name, s.s_address, s.s_phone, r.total_revenue
FROM {{ ref('supplier') }} AS s
JOIN revenue AS r ON r.supplier_no = s.s_suppkey
WHERE r.total_revenue = (SELECT MAX(total_revenue) FROM revenue)
ORDER BY s.s_suppkey
