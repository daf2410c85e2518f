-- name: revenue_lost_to_cancellations
-- description: Gross amount ordered, amount lost to cancellations and its share of the gross.
-- grain: total
-- owner: finance
-- tags: [cancellations, revenue]
SELECT
  SUM(amount) AS gross_amount,
  ZEROIFNULL(SUM(IFF(status = 'Cancelled', amount, NULL))) AS cancelled_amount,
  SUM(CASE WHEN status = 'Cancelled' THEN amount ELSE 0 END) / NULLIF(SUM(amount), 0) AS cancelled_share
FROM {{ ref('fact_sales') }}
ORDER BY gross_amount
