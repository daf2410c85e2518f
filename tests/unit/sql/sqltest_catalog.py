"""The sample gold schema as a GoldCatalog built by hand (pure: no Parquet needed)."""

from __future__ import annotations

from toolkit.gold.model import Column, GoldCatalog, GoldTable
from toolkit.types import LogicalType


def _t(kind: str, precision: int | None = None, scale: int | None = None) -> LogicalType:
    return LogicalType(kind, precision, scale)


def _table(name: str, *columns: tuple) -> GoldTable:
    cols = []
    for spec in columns:
        col_name, logical = spec[0], spec[1]
        nullable = spec[2] if len(spec) > 2 else True
        partition = spec[3] if len(spec) > 3 else False
        cols.append(Column(col_name, logical, nullable, partition))
    return GoldTable(name=name, location=f"/gold/{name}", columns=tuple(cols))


def sample_catalog() -> GoldCatalog:
    return GoldCatalog(
        (
            _table(
                "fact_sales",
                ("sale_id", _t("int64"), False), ("order_id", _t("string"), False),
                ("order_ts", _t("timestamptz"), False), ("order_date", _t("date"), False),
                ("customer_id", _t("int64"), False), ("product_id", _t("int64"), False),
                ("payment_method", _t("string")), ("status", _t("string"), False),
                ("quantity", _t("int32"), False), ("unit_price", _t("decimal", 10, 2), False),
                ("discount_pct", _t("float64"), False), ("amount", _t("decimal", 12, 2), False),
                ("channel", _t("string"), False), ("order_month", _t("date"), False, True),
            ),
            _table(
                "dim_customer",
                ("customer_id", _t("int64"), False), ("customer_name", _t("string")), ("gender", _t("string")),
                ("birth_year", _t("int32")), ("country", _t("string")), ("region_id", _t("int64")),
                ("signup_date", _t("date")),
            ),
            _table(
                "dim_product",
                ("product_id", _t("int64"), False), ("product_name", _t("string")), ("brand", _t("string")),
                ("category", _t("string")), ("subcategory", _t("string")), ("list_price", _t("decimal", 10, 2)),
            ),
            _table("dim_region", ("region_id", _t("int64"), False), ("country", _t("string")), ("region", _t("string"))),
            _table("dim_payment", ("payment_method", _t("string")), ("payment_type", _t("string")),
                   ("provider", _t("string"))),
            _table(
                "amazon_sales_gold",
                ("Order_ID", _t("string")), ("Date", _t("date")), ("Status", _t("string")),
                ("Category", _t("string")), ("Size", _t("string")), ("Qty", _t("int32")),
                ("Amount", _t("decimal", 12, 2)), ("ship_city", _t("string")), ("ship_state", _t("string")),
                ("ship_country", _t("string")), ("B2B", _t("bool")),
            ),
        )
    )
