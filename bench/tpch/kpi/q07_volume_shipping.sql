-- name: q07_volume_shipping
-- description: TPC-H Q7. Value shipped between pairs of nations, per year.
-- grain: supplier nation x customer nation x year
-- owner: bench
-- tags: [tpch]
SELECT
  n1.n_name AS supp_nation,
  n2.n_name AS cust_nation,
  EXTRACT(YEAR FROM l.l_shipdate) AS l_year,
  SUM(l.l_extendedprice * (1 - l.l_discount)) AS revenue
FROM {{ ref('supplier') }} AS s
JOIN {{ ref('lineitem') }} AS l ON l.l_suppkey = s.s_suppkey
JOIN {{ ref('orders') }} AS o ON o.o_orderkey = l.l_orderkey
JOIN {{ ref('customer') }} AS c ON c.c_custkey = o.o_custkey
JOIN {{ ref('nation') }} AS n1 ON n1.n_nationkey = s.s_nationkey
JOIN {{ ref('nation') }} AS n2 ON n2.n_nationkey = c.c_nationkey
WHERE n1.n_name IN ('FRANCE', 'GERMANY', 'BRAZIL', 'CHINA', 'INDIA')
  AND n2.n_name IN ('FRANCE', 'GERMANY', 'BRAZIL', 'CHINA', 'INDIA')
  AND n1.n_name <> n2.n_name
  AND l.l_shipdate BETWEEN DATE '1995-01-01' AND DATE '1996-12-31'
GROUP BY supp_nation, cust_nation, l_year
ORDER BY supp_nation, cust_nation, l_year
