-- name: q22_global_sales_opportunity
-- description: TPC-H Q22 (customers with orders too). Customers of seven country codes with an above-average positive balance.
-- grain: country code
-- owner: bench
-- tags: [tpch]
WITH chosen AS (
  SELECT SUBSTRING(c_phone, 1, 2) AS cntrycode, c_acctbal
  FROM {{ ref('customer') }}
  WHERE SUBSTRING(c_phone, 1, 2) IN ('13', '31', '23', '29', '30', '18', '17')
),
average AS (
  SELECT AVG(CAST(c_acctbal AS DOUBLE)) AS avg_balance FROM chosen WHERE c_acctbal > 0.00
)
SELECT cntrycode, COUNT(*) AS numcust, SUM(c_acctbal) AS totacctbal
FROM chosen
CROSS JOIN average
WHERE CAST(c_acctbal AS DOUBLE) > average.avg_balance
GROUP BY cntrycode
ORDER BY cntrycode
