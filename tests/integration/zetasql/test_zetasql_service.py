"""The ZetaSQL service against the real WASM module: analysis, DDL parsing and evaluation to Arrow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from toolkit.gold.model import Column, GoldCatalog, GoldTable
from toolkit.types import LogicalType as L

CATALOG = GoldCatalog(
    (
        GoldTable(
            "fact_sales",
            "/tmp/fact_sales",
            (
                Column("Order_ID", L("string")),
                Column("customer_id", L("int64")),
                Column("amount", L("decimal", 12, 2)),
                Column("quantity", L("int32")),
                Column("order_date", L("date")),
                Column("ordered_at", L("timestamptz")),
                Column("tags", L("list", children=(("element", L("string")),))),
                Column("address", L("struct", children=(("city", L("string")), ("zip", L("int32"))))),
                Column("order_month", L("date"), partition=True),
            ),
        ),
        GoldTable("dim_customer", "/tmp/dim_customer", (Column("customer_id", L("int64")), Column("name", L("string")))),
    )
)


@pytest.fixture(scope="module")
def zeta():
    from toolkit.sql.zetasql_service import ZetaSQL

    service = ZetaSQL.get()
    service.register_catalog(CATALOG, table_names={"fact_sales": ["fedkit-demo.gold.fact_sales"]})
    return service


def test_get_is_a_singleton(zeta):
    from toolkit.sql.zetasql_service import ZetaSQL

    assert ZetaSQL.get() is zeta


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT order_id, SUM(amount) AS total FROM fact_sales GROUP BY order_id",
        "SELECT ORDER_ID FROM `fedkit-demo.gold.fact_sales`",
        "SELECT order_id FROM `fedkit-demo`.gold.fact_sales",
        "SELECT address.city, tags[SAFE_OFFSET(0)] FROM fact_sales",
        "SELECT c.name, COUNT(*) FROM fact_sales AS s JOIN dim_customer AS c USING (customer_id) GROUP BY 1",
        "SELECT DATE_TRUNC(order_date, MONTH), COUNTIF(quantity > 1) FROM fact_sales GROUP BY 1",
    ],
)
def test_analyze_accepts_valid_bigquery(zeta, sql):
    assert zeta.analyze(sql) is None


def test_register_catalog_twice_is_a_no_op(zeta):
    before = zeta.registered_catalog_id
    zeta.register_catalog(CATALOG, table_names={"fact_sales": ["fedkit-demo.gold.fact_sales"]})
    assert zeta.registered_catalog_id == before


def test_unknown_column_has_position(zeta):
    error = zeta.analyze("SELECT quantity\nFROM fact_sales\nWHERE no_such_column = 1")
    assert error is not None
    assert error.message == "Unrecognized name: no_such_column"
    assert (error.line, error.column) == (3, 7)


def test_snowflake_iff_is_unknown_function(zeta):
    error = zeta.analyze("SELECT\n  IFF(quantity > 1, 1, 0) AS many\nFROM fact_sales")
    assert error is not None
    assert error.message.startswith("Function not found: IFF")
    assert (error.line, error.column) == (2, 3)


def test_type_error_names_the_argument_types(zeta):
    error = zeta.analyze("SELECT order_id,\n       quantity / 'x' FROM fact_sales")
    assert error is not None
    assert "No matching signature for operator /" in error.message
    assert "INT64, STRING" in error.message
    assert (error.line, error.column) == (2, 8)
    assert "Signature: FLOAT64 / FLOAT64" in error.detail


def test_unknown_table(zeta):
    error = zeta.analyze("SELECT 1 FROM gold.nope")
    assert error is not None and error.message.startswith("Table not found: gold.nope")
    assert (error.line, error.column) == (1, 15)


def test_bigquery_product_mode_rejects_internal_type_names(zeta):
    error = zeta.analyze("SELECT CAST(quantity AS DOUBLE) FROM fact_sales")
    assert error is not None and error.message == "Type not found: DOUBLE"


def test_parse_biglake_ddl(zeta):
    ddl = (
        "CREATE SCHEMA IF NOT EXISTS `fedkit-demo.gold` OPTIONS (location = 'aws-us-east-1');\n"
        "CREATE EXTERNAL TABLE `fedkit-demo.gold.fact_sales`\n"
        "WITH PARTITION COLUMNS (order_month DATE)\n"
        "WITH CONNECTION `aws-us-east-1.fedkit_gold`\n"
        "OPTIONS (format = 'PARQUET', uris = ['s3://b/gold/fact_sales/*'], max_staleness = INTERVAL 4 HOUR,\n"
        "         metadata_cache_mode = 'AUTOMATIC');\n"
    )
    assert zeta.parse(ddl, script=True) is None
    error = zeta.parse(ddl)  # two statements where one is expected
    assert error is not None and error.message.startswith("more than one statement where one is expected")


def test_parse_reports_syntax_error_position(zeta):
    error = zeta.parse("CREATE EXTERNAL TABLE t\nWITH CONNECTION c\nOPTIONS (format = 'PARQUET',, uris = ['s3://b/*'])")
    assert error is not None
    assert error.message.startswith("Syntax error")
    assert (error.line, error.column) == (3, 29)


def test_evaluate_group_by_with_nulls_decimals_dates():
    import pyarrow as pa

    from toolkit.sql.zetasql_service import ZetaSQL

    table = pa.table(
        {
            "region": ["eu", "eu", None, "us"],
            "amount": pa.array([Decimal("1.50"), None, Decimal("2.25"), Decimal("3")], pa.decimal128(12, 2)),
            "day": pa.array([dt.date(2024, 1, 1), dt.date(2024, 2, 3), dt.date(2024, 1, 9), None]),
            "at_ts": pa.array([dt.datetime(2024, 1, 1, 5, tzinfo=dt.timezone.utc)] * 4, pa.timestamp("us", tz="UTC")),
            "qty": [1, 2, None, 4],
            "ok": [True, False, None, True],
        }
    )
    result = ZetaSQL.get().evaluate(
        "SELECT region, SUM(amount) AS total, COUNT(*) AS n, MAX(day) AS last_day, MAX(at_ts) AS last_at,\n"
        "       DATETIME(MAX(at_ts)) AS wall, AVG(qty) AS avg_qty, COUNTIF(ok) AS oks, 7 / 2 AS ratio\n"
        "FROM sales GROUP BY region ORDER BY region",
        {"sales": table},
    )
    assert result.schema.field("total").type == pa.decimal128(38, 9)
    assert result.schema.field("last_day").type == pa.date32()
    assert result.schema.field("last_at").type == pa.timestamp("us", tz="UTC")
    assert result.schema.field("wall").type == pa.timestamp("us")
    rows = result.to_pylist()
    # BigQuery: ORDER BY ASC puts NULL first; SUM skips NULLs; INT64 / INT64 is FLOAT64.
    assert [r["region"] for r in rows] == [None, "eu", "us"]
    assert [r["total"] for r in rows] == [Decimal("2.25"), Decimal("1.5"), Decimal("3")]
    assert [r["n"] for r in rows] == [1, 2, 1]
    assert rows[1]["last_day"] == dt.date(2024, 2, 3) and rows[2]["last_day"] is None
    assert rows[0]["avg_qty"] is None and rows[1]["avg_qty"] == 1.5
    assert [r["oks"] for r in rows] == [0, 1, 1]
    assert rows[0]["ratio"] == 3.5
    assert rows[1]["wall"] == dt.datetime(2024, 1, 1, 5)


def test_evaluate_arrays_structs_and_errors():
    import pyarrow as pa

    from toolkit.sql.zetasql_service import ZetaEvaluationError, ZetaSQL

    table = pa.table({"xs": [[1, 2], [], None], "s": [{"a": "x"}, None, {"a": None}]})
    result = ZetaSQL.get().evaluate("SELECT ARRAY_LENGTH(xs) AS n, s.a AS a, xs FROM t", {"t": table})
    assert result.column("n").to_pylist() == [2, 0, None]
    assert result.column("a").to_pylist() == ["x", None, None]
    assert result.column("xs").to_pylist() == [[1, 2], [], None]  # the reference evaluator keeps NULL arrays
    with pytest.raises(ZetaEvaluationError, match="Function not found: IFF"):
        ZetaSQL.get().evaluate("SELECT IFF(TRUE, 1, 2) FROM t", {"t": table})


def test_evaluate_with_bigquery_path_names():
    import pyarrow as pa

    from toolkit.sql.zetasql_service import ZetaSQL

    table = pa.table({"a": [1, 2, 3]})
    result = ZetaSQL.get().evaluate("SELECT SUM(a) AS s FROM `fedkit-demo.gold.fact_sales`",
                                    {"fedkit-demo.gold.fact_sales": table})
    assert result.to_pylist() == [{"s": 6}]


def test_evaluate_hands_over_only_the_columns_a_query_names_and_counts_rows_without_any():
    """The evaluator is fed only the named columns (its cost grows with every cell), yet a query naming none still
    sees every row, and a table evaluated again (cached conversions) gives the same answers."""
    import pyarrow as pa

    from toolkit.sql.zetasql_service import ZetaSQL, _columns_named_in

    table = pa.table({"k": ["a", "b", "a"], "v": [1, 2, 3], "unused": pa.array([b"x", b"y", b"z"], pa.binary())})
    assert _columns_named_in("SELECT k, SUM(v) FROM t GROUP BY k", table).schema.names == ["k", "v"]
    assert _columns_named_in("SELECT * FROM t", table) is table
    service = ZetaSQL.get()
    assert service.evaluate("SELECT COUNT(1) AS n FROM t", {"t": table}).to_pylist() == [{"n": 3}]
    query = "SELECT k, SUM(v) AS s FROM t GROUP BY k ORDER BY k"
    first = service.evaluate(query, {"t": table}).to_pylist()
    assert first == service.evaluate(query, {"t": table}).to_pylist() == [{"k": "a", "s": 4}, {"k": "b", "s": 2}]
    other = pa.table({"k": ["c"], "v": [9], "unused": pa.array([b""], pa.binary())})  # same names, other values
    assert service.evaluate(query, {"t": other}).to_pylist() == [{"k": "c", "s": 9}]
