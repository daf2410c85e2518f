-- UNION ALL of a STRING column and a DATE column.
-- expect: bigquery 5:1 Column 1 in UNION ALL has incompatible types: STRING, DATE
SELECT order_id AS k FROM {{ ref('fact_sales') }}
UNION ALL
SELECT order_date AS k FROM {{ ref('fact_sales') }}
