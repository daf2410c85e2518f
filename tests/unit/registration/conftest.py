"""A hand-built gold catalog shaped like `fedkit gold sample` (pure: no Parquet needed), plus an odd-names table."""

from __future__ import annotations

import pytest

from toolkit.gold.model import Column, GoldCatalog, GoldTable
from toolkit.types import LogicalType

ROOT = "s3://fedkit-demo-gold/gold"


def _t(kind: str, precision: int | None = None, scale: int | None = None) -> LogicalType:
    return LogicalType(kind, precision, scale)


def _table(name: str, columns: list[tuple[str, LogicalType]], partitions: list[tuple[str, LogicalType]] = ()) -> GoldTable:
    cols = [Column(n, t) for n, t in columns] + [Column(n, t, nullable=False, partition=True) for n, t in partitions]
    return GoldTable(name=name, location=f"{ROOT}/{name}", columns=tuple(cols), row_count=10, bytes=1000, files=1)


FACT_SALES = _table(
    "fact_sales",
    [
        ("sale_id", _t("int64")),
        ("order_id", _t("string")),
        ("order_ts", _t("timestamptz")),
        ("order_date", _t("date")),
        ("customer_id", _t("int64")),
        ("product_id", _t("int64")),
        ("payment_method", _t("string")),
        ("status", _t("string")),
        ("quantity", _t("int32")),
        ("unit_price", _t("decimal", 10, 2)),
        ("discount_pct", _t("float64")),
        ("amount", _t("decimal", 12, 2)),
        ("channel", _t("string")),
    ],
    [("order_month", _t("date"))],
)
AMAZON = _table(
    "amazon_sales_gold",
    [
        ("Order_ID", _t("string")),
        ("Date", _t("date")),
        ("Status", _t("string")),
        ("Category", _t("string")),
        ("Size", _t("string")),
        ("Qty", _t("int64")),
        ("Amount", _t("decimal", 12, 2)),
        ("ship_city", _t("string")),
        ("ship_state", _t("string")),
        ("ship_country", _t("string")),
        ("B2B", _t("bool")),
    ],
)
DIM_REGION = _table("dim_region", [("region_id", _t("int64")), ("country", _t("string")), ("region", _t("string"))])
ODD = _table(
    "Odd Table",
    [
        ("Customer's Name", _t("string")),
        ("select", _t("int64")),
        ("MixedCase", _t("float64")),
    ],
)

# The same table as BigQuery can read it: an external table takes no flexible column names (the table name may still
# hold spaces), so `Customer's Name` is refused there while Snowflake and DuckDB quote it exactly.
ODD_BQ = _table(
    "Odd Table",
    [
        ("Customer_Name", _t("string")),
        ("select", _t("int64")),
        ("MixedCase", _t("float64")),
    ],
)

# A double quote is valid in a Snowflake name but not in a BigQuery column name.
QUOTED = _table("quoted", [('Say "Hi"', _t("string")), ("id", _t("int64"))])

SAMPLE = GoldCatalog((AMAZON, DIM_REGION, FACT_SALES))
WITH_ODD = GoldCatalog((AMAZON, DIM_REGION, FACT_SALES, ODD))
WITH_ODD_BQ = GoldCatalog((AMAZON, DIM_REGION, FACT_SALES, ODD_BQ))


CONFIG_YAML = """\
version: 1
gold:
  bucket: fedkit-demo-gold
  prefix: gold/
  tables:
    fact_sales:
      partition_columns: [order_month]
aws:
  account_id: "123456789012"
  region: us-east-1
  role_name: fedkit-gold-reader
bigquery:
  project: fedkit-demo
  location: aws-us-east-1
  dataset: gold
  connection_id: fedkit_gold
snowflake:
  database: ANALYTICS
  schema: GOLD
  integration: FEDKIT_GOLD_S3
  stage: GOLD_STAGE
"""


def write_config(tmp_path, text: str = CONFIG_YAML):
    from toolkit.config import load_config

    path = tmp_path / "federation.yaml"
    path.write_text(text)
    return load_config(path)


@pytest.fixture
def loaded(tmp_path):
    return write_config(tmp_path)


@pytest.fixture
def make_loaded(tmp_path):
    return lambda text=CONFIG_YAML: write_config(tmp_path, text)


@pytest.fixture
def gold():
    """The hand-built tables and catalogs above, by name."""
    from types import SimpleNamespace

    return SimpleNamespace(
        fact_sales=FACT_SALES, amazon=AMAZON, dim_region=DIM_REGION, odd=ODD, quoted=QUOTED,
        sample=SAMPLE, with_odd=WITH_ODD, with_odd_bq=WITH_ODD_BQ, table=_table, t=_t,
    )
