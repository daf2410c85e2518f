"""An in-memory project config for pure tests (no file read)."""

from __future__ import annotations

from pathlib import Path

from toolkit.config import Config, LoadedConfig

CONFIG = {
    "version": 1,
    "gold": {"bucket": "fedkit-demo-gold", "prefix": "gold/", "tables": {"fact_sales": {"partition_columns": ["order_month"]}}},
    "aws": {"account_id": "123456789012", "region": "us-east-1"},
    "bigquery": {"project": "fedkit-demo", "location": "aws-us-east-1", "dataset": "gold"},
    "snowflake": {"database": "ANALYTICS", "schema": "GOLD"},
    "kpi": {"source_dialect": "duckdb", "paths": ["sql/kpi"]},
}


def loaded_config(**overrides) -> LoadedConfig:
    data = {**CONFIG, **overrides}
    return LoadedConfig(Config.model_validate(data), Path("config/federation.yaml"))
