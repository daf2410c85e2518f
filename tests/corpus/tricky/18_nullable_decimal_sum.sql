-- name: nullable_decimal_sum
-- expect: portable; SUM skips NULL amounts, COUNT(col) counts non-NULL ones
SELECT Status, COUNT(*) AS lines, COUNT(Amount) AS with_amount, SUM(Amount) AS revenue
FROM {{ ref('amazon_sales_gold') }}
GROUP BY Status
ORDER BY Status
