-- A string that is not a date, compared with a DATE column.
-- expect: bigquery 5:21 Could not cast literal "last tuesday" to type DATE
SELECT order_id
FROM {{ ref('fact_sales') }}
WHERE order_date >= 'last tuesday'
