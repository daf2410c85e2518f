-- name: q16_parts_supplier_relationship
-- description: TPC-H Q16. Suppliers (without complaints) able to supply parts of given sizes, per brand/type/size.
-- grain: brand x type x size
-- owner: bench
-- tags: [tpch]
SELECT p.p_brand, p.p_type, p.p_size, COUNT(DISTINCT ps.ps_suppkey) AS supplier_cnt
FROM {{ ref('partsupp') }} AS ps
JOIN {{ ref('part') }} AS p ON p.p_partkey = ps.ps_partkey
WHERE p.p_brand <> 'Brand#45' AND p.p_type NOT LIKE 'MEDIUM POLISHED%'
  AND p.p_size IN (49, 14, 23, 45, 19, 3, 36, 9)
  AND ps.ps_suppkey NOT IN (SELECT s_suppkey FROM {{ ref('supplier') }} WHERE s_comment LIKE '%Customer%Complaints%')
GROUP BY p.p_brand, p.p_type, p.p_size
ORDER BY supplier_cnt DESC, p.p_brand, p.p_type, p.p_size
