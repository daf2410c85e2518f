-- name: q13_customer_distribution
-- description: TPC-H Q13. How many customers placed how many orders (special requests excluded).
-- grain: order count
-- owner: bench
-- tags: [tpch]
WITH per_customer AS (
  SELECT c.c_custkey, COUNT(o.o_orderkey) AS c_count
  FROM {{ ref('customer') }} AS c
  LEFT JOIN {{ ref('orders') }} AS o
    ON o.o_custkey = c.c_custkey AND o.o_comment NOT LIKE '%special%requests%'
  GROUP BY c.c_custkey
)
SELECT c_count, COUNT(*) AS custdist
FROM per_customer
GROUP BY c_count
ORDER BY custdist DESC, c_count DESC
