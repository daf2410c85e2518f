-- name: q14_promotion_effect
-- description: TPC-H Q14. Share of a month's revenue from promotional parts, in percent.
-- grain: total
-- owner: bench
-- tags: [tpch]
SELECT
  100.0 * CAST(SUM(CASE WHEN p.p_type LIKE 'PROMO%' THEN l.l_extendedprice * (1 - l.l_discount) ELSE 0 END) AS DOUBLE)
    / NULLIF(CAST(SUM(l.l_extendedprice * (1 - l.l_discount)) AS DOUBLE), 0) AS promo_revenue,
  COUNT(*) AS lines
FROM {{ ref('lineitem') }} AS l
JOIN {{ ref('part') }} AS p ON p.p_partkey = l.l_partkey
WHERE l.l_shipdate >= DATE '1995-09-01' AND l.l_shipdate < DATE '1995-10-01'
