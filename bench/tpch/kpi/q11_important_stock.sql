-- name: q11_important_stock
-- description: TPC-H Q11. German stock of parts worth more than a small fraction of all German stock.
-- grain: part
-- owner: bench
-- tags: [tpch]
WITH german AS (
  SELECT ps.ps_partkey, ps.ps_supplycost * ps.ps_availqty AS stock
  FROM {{ ref('partsupp') }} AS ps
  JOIN {{ ref('supplier') }} AS s ON s.s_suppkey = ps.ps_suppkey
  JOIN {{ ref('nation') }} AS n ON n.n_nationkey = s.s_nationkey
  WHERE n.n_name = 'GERMANY'
)
SELECT ps_partkey, SUM(stock) AS value
FROM german
GROUP BY ps_partkey
HAVING SUM(stock) > (SELECT SUM(stock) * 0.0001 FROM german)
ORDER BY value DESC, ps_partkey
