-- name: q08_national_market_share
-- description: TPC-H Q8. Brazil's share of the American market for economy parts, per year.
-- grain: year
-- owner: bench
-- tags: [tpch]
WITH volumes AS (
  SELECT
    EXTRACT(YEAR FROM o.o_orderdate) AS o_year,
    l.l_extendedprice * (1 - l.l_discount) AS volume,
    n2.n_name AS nation
  FROM {{ ref('part') }} AS p
  JOIN {{ ref('lineitem') }} AS l ON l.l_partkey = p.p_partkey
  JOIN {{ ref('supplier') }} AS s ON s.s_suppkey = l.l_suppkey
  JOIN {{ ref('orders') }} AS o ON o.o_orderkey = l.l_orderkey
  JOIN {{ ref('customer') }} AS c ON c.c_custkey = o.o_custkey
  JOIN {{ ref('nation') }} AS n1 ON n1.n_nationkey = c.c_nationkey
  JOIN {{ ref('region') }} AS r ON r.r_regionkey = n1.n_regionkey
  JOIN {{ ref('nation') }} AS n2 ON n2.n_nationkey = s.s_nationkey
  WHERE r.r_name = 'AMERICA' AND p.p_type LIKE 'ECONOMY%'
    AND o.o_orderdate BETWEEN DATE '1995-01-01' AND DATE '1996-12-31'
)
SELECT
  o_year,
  CAST(SUM(CASE WHEN nation = 'BRAZIL' THEN volume ELSE 0 END) AS DOUBLE)
    / NULLIF(CAST(SUM(volume) AS DOUBLE), 0) AS mkt_share,
  COUNT(*) AS lines
FROM volumes
GROUP BY o_year
ORDER BY o_year
