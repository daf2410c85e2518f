-- name: q06_forecasting_revenue_change
-- description: TPC-H Q6. Revenue a year of small discounted lines brought in.
-- grain: total
-- owner: bench
-- tags: [tpch]
SELECT SUM(l_extendedprice * l_discount) AS revenue, COUNT(*) AS lines
FROM {{ ref('lineitem') }}
WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01'
  AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24
