CREATE OR REPLACE VIEW `fedkit-demo`.`gold`.`kpi_revenue_by_channel`
OPTIONS (
  description = 'Net revenue per sales channel. | managed by fedkit (kpi revenue_by_channel)',
  labels = [('managed-by', 'fedkit')]
)
AS
SELECT
  f.channel,
  SUM(f.amount) AS revenue
FROM `fedkit-demo.gold.fact_sales` AS f
WHERE
  f.status <> 'Cancelled'
GROUP BY
  f.channel
