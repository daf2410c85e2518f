-- name: in_unnest_membership
-- description: Lines paid by a card brand or wallet (x IN UNNEST([...]), x NOT IN UNNEST, ARRAY_LENGTH of a literal).
-- expect: portable
SELECT
  channel,
  COUNTIF(payment_method IN UNNEST(['visa', 'mastercard', 'amex'])) AS cards,
  COUNTIF(payment_method NOT IN UNNEST(['visa', 'mastercard', 'amex'])) AS not_cards,
  COUNTIF(status IN UNNEST(['Cancelled', 'Returned'])) AS lost,
  ARRAY_LENGTH(['a', 'b']) AS two
FROM {{ ref('fact_sales') }}
GROUP BY channel
ORDER BY channel
