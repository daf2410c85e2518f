-- name: revenue_lost_to_cancellations
-- description: Gross amount ordered, amount lost to cancellations and its share of the gross.
-- grain: total
-- owner: finance
-- tags: [cancellations, revenue]
SELECT
  SUM(amount) AS gross_amount,
  SUM(IF(status = 'Cancelled', amount, 0)) AS cancelled_amount,
  SAFE_DIVIDE(SUM(IF(status = 'Cancelled', amount, 0)), SUM(amount)) AS cancelled_share
FROM {{ ref('fact_sales') }}
ORDER BY gross_amount
