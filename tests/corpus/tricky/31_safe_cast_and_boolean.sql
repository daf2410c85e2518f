-- name: safe_cast_and_boolean
-- expect: portable; TRY_CAST of text and a boolean column in GROUP BY
SELECT B2B, COUNT(*) AS lines, SUM(TRY_CAST(Qty AS BIGINT)) AS units
FROM {{ ref('amazon_sales_gold') }}
GROUP BY B2B
ORDER BY B2B
