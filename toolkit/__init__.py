"""fedkit: gold Parquet in S3, queried from BigQuery Omni and Snowflake without copying it."""

__version__ = "0.1.0"
