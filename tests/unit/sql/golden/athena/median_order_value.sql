-- median_order_value: compiled by fedkit for athena from median_order_value.sql; do not edit
-- rule quantiles: median / quantile_cont computed exactly from the sorted values (Athena has no exact percentile aggregate)
-- rule null-ordering: every ORDER BY key states NULLS FIRST/LAST as the source dialect sorts them
WITH orders AS (
  SELECT
    order_id,
    SUM(amount) AS order_value
  FROM gold_lake.fact_sales
  WHERE
    status <> 'Cancelled'
  GROUP BY
    order_id
)
SELECT
  CASE
    WHEN CARDINALITY(
      ARRAY_SORT(
        ARRAY_AGG(CAST(CAST(order_value AS DOUBLE) AS DOUBLE)) FILTER(WHERE
          NOT CAST(order_value AS DOUBLE) IS NULL)
      )
    ) > 0
    THEN ELEMENT_AT(
      ARRAY_SORT(
        ARRAY_AGG(CAST(CAST(order_value AS DOUBLE) AS DOUBLE)) FILTER(WHERE
          NOT CAST(order_value AS DOUBLE) IS NULL)
      ),
      CAST(FLOOR(
        (
          1 + (
            CARDINALITY(
              ARRAY_SORT(
                ARRAY_AGG(CAST(CAST(order_value AS DOUBLE) AS DOUBLE)) FILTER(WHERE
                  NOT CAST(order_value AS DOUBLE) IS NULL)
              )
            ) - 1
          ) * CAST(0.5 AS DOUBLE)
        )
      ) AS BIGINT)
    ) + (
      (
        1 + (
          CARDINALITY(
            ARRAY_SORT(
              ARRAY_AGG(CAST(CAST(order_value AS DOUBLE) AS DOUBLE)) FILTER(WHERE
                NOT CAST(order_value AS DOUBLE) IS NULL)
            )
          ) - 1
        ) * CAST(0.5 AS DOUBLE)
      ) - FLOOR(
        (
          1 + (
            CARDINALITY(
              ARRAY_SORT(
                ARRAY_AGG(CAST(CAST(order_value AS DOUBLE) AS DOUBLE)) FILTER(WHERE
                  NOT CAST(order_value AS DOUBLE) IS NULL)
              )
            ) - 1
          ) * CAST(0.5 AS DOUBLE)
        )
      )
    ) * (
      ELEMENT_AT(
        ARRAY_SORT(
          ARRAY_AGG(CAST(CAST(order_value AS DOUBLE) AS DOUBLE)) FILTER(WHERE
            NOT CAST(order_value AS DOUBLE) IS NULL)
        ),
        CAST(CEIL(
          (
            1 + (
              CARDINALITY(
                ARRAY_SORT(
                  ARRAY_AGG(CAST(CAST(order_value AS DOUBLE) AS DOUBLE)) FILTER(WHERE
                    NOT CAST(order_value AS DOUBLE) IS NULL)
                )
              ) - 1
            ) * CAST(0.5 AS DOUBLE)
          )
        ) AS BIGINT)
      ) - ELEMENT_AT(
        ARRAY_SORT(
          ARRAY_AGG(CAST(CAST(order_value AS DOUBLE) AS DOUBLE)) FILTER(WHERE
            NOT CAST(order_value AS DOUBLE) IS NULL)
        ),
        CAST(FLOOR(
          (
            1 + (
              CARDINALITY(
                ARRAY_SORT(
                  ARRAY_AGG(CAST(CAST(order_value AS DOUBLE) AS DOUBLE)) FILTER(WHERE
                    NOT CAST(order_value AS DOUBLE) IS NULL)
                )
              ) - 1
            ) * CAST(0.5 AS DOUBLE)
          )
        ) AS BIGINT)
      )
    )
  END AS median_order_value,
  COUNT(*) AS orders
FROM orders
ORDER BY
  median_order_value NULLS LAST
