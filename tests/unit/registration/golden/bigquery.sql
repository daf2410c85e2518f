-- dataset/gold
CREATE SCHEMA IF NOT EXISTS `gold`
OPTIONS (location = 'aws-us-east-1');

-- table/gold.amazon_sales_gold
CREATE EXTERNAL TABLE IF NOT EXISTS `gold`.`amazon_sales_gold`
WITH CONNECTION `aws-us-east-1.fedkit_gold`
OPTIONS (
  format = 'PARQUET',
  uris = ['s3://fedkit-demo-gold/gold/amazon_sales_gold/*.parquet'],
  description = 'managed by fedkit (gold table amazon_sales_gold)',
  labels = [('managed-by', 'fedkit')],
  max_staleness = INTERVAL 4 HOUR,
  metadata_cache_mode = 'AUTOMATIC'
);

-- table/gold.dim_region
CREATE EXTERNAL TABLE IF NOT EXISTS `gold`.`dim_region`
WITH CONNECTION `aws-us-east-1.fedkit_gold`
OPTIONS (
  format = 'PARQUET',
  uris = ['s3://fedkit-demo-gold/gold/dim_region/*.parquet'],
  description = 'managed by fedkit (gold table dim_region)',
  labels = [('managed-by', 'fedkit')],
  max_staleness = INTERVAL 4 HOUR,
  metadata_cache_mode = 'AUTOMATIC'
);

-- table/gold.fact_sales
CREATE EXTERNAL TABLE IF NOT EXISTS `gold`.`fact_sales`
WITH PARTITION COLUMNS (
  `order_month` DATE
)
WITH CONNECTION `aws-us-east-1.fedkit_gold`
OPTIONS (
  format = 'PARQUET',
  uris = ['s3://fedkit-demo-gold/gold/fact_sales/*.parquet'],
  hive_partition_uri_prefix = 's3://fedkit-demo-gold/gold/fact_sales',
  require_hive_partition_filter = false,
  description = 'managed by fedkit (gold table fact_sales)',
  labels = [('managed-by', 'fedkit')],
  max_staleness = INTERVAL 4 HOUR,
  metadata_cache_mode = 'AUTOMATIC'
);

-- table/gold.Odd Table
CREATE EXTERNAL TABLE IF NOT EXISTS `gold`.`Odd Table`
WITH CONNECTION `aws-us-east-1.fedkit_gold`
OPTIONS (
  format = 'PARQUET',
  uris = ['s3://fedkit-demo-gold/gold/Odd Table/*.parquet'],
  description = 'managed by fedkit (gold table Odd Table)',
  labels = [('managed-by', 'fedkit')],
  max_staleness = INTERVAL 4 HOUR,
  metadata_cache_mode = 'AUTOMATIC'
);
