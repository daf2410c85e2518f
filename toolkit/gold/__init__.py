"""The gold layer: Parquet schemas, the sample data generator, and publishing to S3."""
