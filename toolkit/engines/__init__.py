"""One module per engine behind one interface (`base.Engine`): bigquery, snowflake, duckdb."""
