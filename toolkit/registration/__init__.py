"""Registration: gold Parquet as BigQuery Omni BigLake tables and Snowflake external tables (DESIGN §4-5).

`desired` computes what should exist (pure), `statements` renders its DDL from the templates, `observed` holds
what the adapters report, `bigquery_plan`/`snowflake_plan` are the pure planners (observed -> actions, drift), and
`targets` plugs them into `toolkit.planning.pipeline`.
"""
