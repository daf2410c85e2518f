CREATE OR REPLACE VIEW ANALYTICS.GOLD.kpi_revenue_by_channel
  COPY GRANTS
  COMMENT = 'Net revenue per sales channel. | managed by fedkit (kpi revenue_by_channel)'
AS
SELECT
  f.channel,
  SUM(f.amount) AS revenue
FROM ANALYTICS.GOLD.FACT_SALES AS f
WHERE
  f.status <> 'Cancelled'
GROUP BY
  f.channel
