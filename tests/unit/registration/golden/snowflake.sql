-- database/ANALYTICS
CREATE DATABASE IF NOT EXISTS ANALYTICS;

-- schema/ANALYTICS.GOLD
CREATE SCHEMA IF NOT EXISTS ANALYTICS.GOLD;

-- integration/FEDKIT_GOLD_S3
CREATE STORAGE INTEGRATION IF NOT EXISTS FEDKIT_GOLD_S3
  TYPE = EXTERNAL_STAGE
  STORAGE_PROVIDER = 'S3'
  ENABLED = TRUE
  STORAGE_AWS_ROLE_ARN = 'arn:aws:iam::123456789012:role/fedkit-gold-reader'
  STORAGE_ALLOWED_LOCATIONS = ('s3://fedkit-demo-gold/gold/');

-- file_format/FEDKIT_PARQUET
CREATE FILE FORMAT IF NOT EXISTS ANALYTICS.GOLD.FEDKIT_PARQUET
  TYPE = PARQUET
  USE_LOGICAL_TYPE = TRUE
  BINARY_AS_TEXT = FALSE;

-- stage/GOLD_STAGE
CREATE STAGE IF NOT EXISTS ANALYTICS.GOLD.GOLD_STAGE
  URL = 's3://fedkit-demo-gold/gold/'
  STORAGE_INTEGRATION = FEDKIT_GOLD_S3
  FILE_FORMAT = (FORMAT_NAME = 'ANALYTICS.GOLD.FEDKIT_PARQUET');

-- external_table/amazon_sales_gold
CREATE EXTERNAL TABLE IF NOT EXISTS ANALYTICS.GOLD.amazon_sales_gold (
  Order_ID VARCHAR AS (value:"Order_ID"::VARCHAR),
  Date DATE AS (value:"Date"::DATE),
  Status VARCHAR AS (value:"Status"::VARCHAR),
  Category VARCHAR AS (value:"Category"::VARCHAR),
  Size VARCHAR AS (value:"Size"::VARCHAR),
  Qty NUMBER(38, 0) AS (value:"Qty"::NUMBER(38, 0)),
  Amount NUMBER(12, 2) AS (value:"Amount"::NUMBER(12, 2)),
  ship_city VARCHAR AS (value:"ship_city"::VARCHAR),
  ship_state VARCHAR AS (value:"ship_state"::VARCHAR),
  ship_country VARCHAR AS (value:"ship_country"::VARCHAR),
  B2B BOOLEAN AS (value:"B2B"::BOOLEAN)
)
LOCATION = @ANALYTICS.GOLD.GOLD_STAGE/amazon_sales_gold/
PATTERN = '^amazon_sales_gold/([^_./][^/]*/)*[^_./][^/]*[.]parquet$'
FILE_FORMAT = (FORMAT_NAME = 'ANALYTICS.GOLD.FEDKIT_PARQUET')
AUTO_REFRESH = TRUE
COMMENT = 'managed by fedkit (gold table amazon_sales_gold)';

-- external_table/dim_region
CREATE EXTERNAL TABLE IF NOT EXISTS ANALYTICS.GOLD.dim_region (
  region_id NUMBER(38, 0) AS (value:"region_id"::NUMBER(38, 0)),
  country VARCHAR AS (value:"country"::VARCHAR),
  region VARCHAR AS (value:"region"::VARCHAR)
)
LOCATION = @ANALYTICS.GOLD.GOLD_STAGE/dim_region/
PATTERN = '^dim_region/([^_./][^/]*/)*[^_./][^/]*[.]parquet$'
FILE_FORMAT = (FORMAT_NAME = 'ANALYTICS.GOLD.FEDKIT_PARQUET')
AUTO_REFRESH = TRUE
COMMENT = 'managed by fedkit (gold table dim_region)';

-- external_table/fact_sales
CREATE EXTERNAL TABLE IF NOT EXISTS ANALYTICS.GOLD.fact_sales (
  order_month DATE AS (TO_DATE(SPLIT_PART(SPLIT_PART(metadata$filename, '/order_month=', 2), '/', 1))),
  sale_id NUMBER(38, 0) AS (value:"sale_id"::NUMBER(38, 0)),
  order_id VARCHAR AS (value:"order_id"::VARCHAR),
  order_ts TIMESTAMP_TZ AS (value:"order_ts"::TIMESTAMP_TZ),
  order_date DATE AS (value:"order_date"::DATE),
  customer_id NUMBER(38, 0) AS (value:"customer_id"::NUMBER(38, 0)),
  product_id NUMBER(38, 0) AS (value:"product_id"::NUMBER(38, 0)),
  payment_method VARCHAR AS (value:"payment_method"::VARCHAR),
  status VARCHAR AS (value:"status"::VARCHAR),
  quantity NUMBER(38, 0) AS (value:"quantity"::NUMBER(38, 0)),
  unit_price NUMBER(10, 2) AS (value:"unit_price"::NUMBER(10, 2)),
  discount_pct FLOAT AS (value:"discount_pct"::FLOAT),
  amount NUMBER(12, 2) AS (value:"amount"::NUMBER(12, 2)),
  channel VARCHAR AS (value:"channel"::VARCHAR)
)
PARTITION BY (order_month)
LOCATION = @ANALYTICS.GOLD.GOLD_STAGE/fact_sales/
PATTERN = '^fact_sales/([^_./][^/]*/)*[^_./][^/]*[.]parquet$'
FILE_FORMAT = (FORMAT_NAME = 'ANALYTICS.GOLD.FEDKIT_PARQUET')
AUTO_REFRESH = TRUE
COMMENT = 'managed by fedkit (gold table fact_sales)';

-- external_table/Odd Table
CREATE EXTERNAL TABLE IF NOT EXISTS ANALYTICS.GOLD."Odd Table" (
  "Customer's Name" VARCHAR AS (value:"Customer's Name"::VARCHAR),
  "select" NUMBER(38, 0) AS (value:"select"::NUMBER(38, 0)),
  MixedCase FLOAT AS (value:"MixedCase"::FLOAT)
)
LOCATION = @ANALYTICS.GOLD.GOLD_STAGE/
PATTERN = '^Odd[ ]Table/([^_./][^/]*/)*[^_./][^/]*[.]parquet$'
FILE_FORMAT = (FORMAT_NAME = 'ANALYTICS.GOLD.FEDKIT_PARQUET')
AUTO_REFRESH = TRUE
COMMENT = 'managed by fedkit (gold table Odd Table)';
