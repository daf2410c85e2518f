"""Exact decimals, division and medians: DuckDB (the source's semantics) against ZetaSQL's reference evaluator
(BigQuery's semantics, independent of sqlglot) on the compiled text, with and without the rule that makes them agree."""

from __future__ import annotations

import math
from decimal import Decimal

import pyarrow as pa
import pytest

from toolkit.gold.model import Column, GoldCatalog, GoldTable
from toolkit.sql import rules as rules_module
from toolkit.sql.compile import compile_query
from toolkit.types import LogicalType as L

CATALOG = GoldCatalog((GoldTable("fact_sales", "/tmp/fact_sales", (
    Column("sale_id", L("int64")), Column("channel", L("string")), Column("quantity", L("int32")),
    Column("discount_pct", L("float64")), Column("amount", L("decimal", 12, 2)),
)),))

# Even and odd group sizes, NULLs, a group of NULLs only, negative values, decimals whose median needs a 3rd digit.
FACT = pa.table({
    "sale_id": pa.array(range(1, 12), pa.int64()),
    "channel": ["web", "web", "web", "web", "store", "store", "store", "app", "app", "phone", None],
    "quantity": pa.array([1, 2, 7, 10, -3, 4, None, 5, 6, None, 8], pa.int32()),
    "discount_pct": [0.05, 0.07, 0.15, 0.1, 0.06, 0.0, None, 0.08, 0.07, 0.2, 0.01],
    "amount": pa.array([Decimal(v) if v else None for v in
                        ["1.25", "2.50", "-1.25", "9.99", "2.20", "2.40", None, "0.01", "0.02", None, "3.33"]],
                       pa.decimal128(12, 2)),
})


def compiled(sql: str, engine: str = "bigquery", *, without=None) -> str:
    saved = rules_module.RULES[("duckdb", engine)]
    if without is not None:
        rules_module.RULES[("duckdb", engine)] = tuple(r for r in saved if r is not without)
    try:
        return compile_query(sql, source_dialect="duckdb", engine=engine, catalog=CATALOG, pretty=False).sql
    finally:
        rules_module.RULES[("duckdb", engine)] = saved


def duckdb_rows(sql: str) -> list[tuple]:
    import duckdb

    con = duckdb.connect()
    con.register("fact_sales", FACT)
    return con.execute(sql).fetchall()


def bigquery_rows(sql: str) -> list[tuple]:
    from toolkit.sql.zetasql_service import ZetaSQL

    return [tuple(row.values()) for row in ZetaSQL.get().evaluate(sql, {"fact_sales": FACT}).to_pylist()]


def test_decimal_literal_bounds_keep_the_boundary_rows_on_bigquery():
    from toolkit.sql.rules.decimals import exact_decimal_literals

    sql = ("SELECT sale_id FROM fact_sales WHERE discount_pct BETWEEN 0.1 - 0.05 AND 0.06 + 0.01 "
           "ORDER BY sale_id")
    source = duckdb_rows(sql)
    assert source == [(1,), (2,), (5,), (9,)]  # 0.07 (rows 2 and 9) is on the upper bound
    assert bigquery_rows(compiled(sql, without=exact_decimal_literals)) == [(1,), (5,)]  # FLOAT64: 0.069999…
    assert bigquery_rows(compiled(sql)) == source


def test_decimal_arithmetic_with_a_literal_stays_exact_on_bigquery():
    sql = "SELECT SUM(amount * 0.1) AS tenth, SUM(amount) * 0.3 AS third FROM fact_sales"
    source = duckdb_rows(sql)
    assert source == [(Decimal("2.045"), Decimal("6.135"))]
    assert bigquery_rows(compiled(sql)) == source


def test_a_cast_to_ten_decimals_keeps_them_on_bigquery():
    sql = "SELECT sale_id, CAST(amount AS DECIMAL(20, 10)) / 7 AS d, CAST(amount * 0.1234567891 AS DECIMAL(20, 10)) " \
          "AS e FROM fact_sales ORDER BY sale_id"
    source = duckdb_rows(sql)
    assert source[0][2] == Decimal("0.1543209864")  # 1.25 * 0.1234567891 = 0.154320986375, rounded to 10 decimals
    assert bigquery_rows(compiled(sql)) == source


def test_a_decimal_cast_to_an_integer_rounds_halves_away_from_zero_on_both():
    # quantity * 0.5 is a DECIMAL in the source (not a DOUBLE, which rounds half to even and is refused): 0.5 -> 1,
    # 3.5 -> 4, -1.5 -> -2 on DuckDB and BigQuery NUMERIC alike.
    sql = "SELECT sale_id, CAST(quantity * 0.5 AS INTEGER) AS half FROM fact_sales ORDER BY sale_id"
    source = duckdb_rows(sql)
    assert [half for _, half in source[:5]] == [1, 1, 4, 5, -2]
    assert bigquery_rows(compiled(sql)) == source


def test_integer_division_truncates_toward_zero_on_bigquery():
    sql = "SELECT sale_id, quantity // 4 AS q, amount // 2 AS a FROM fact_sales ORDER BY sale_id"
    source = duckdb_rows(sql)
    assert bigquery_rows(compiled(sql)) == source
    assert (-3 // 4, source[4][1]) == (-1, 0)  # DuckDB truncates toward zero, not floor


REGIONS = pa.table({"channel": ["web", "store", "app", "phone"], "region": ["online", "shop", "online", "online"]})
CATALOG_WITH_REGIONS = GoldCatalog((*CATALOG.tables, GoldTable("dim_channel", "/tmp/dim_channel", (
    Column("channel", L("string")), Column("region", L("string")))),))

MEDIAN_QUERIES = {
    "grouped, with other aggregates, WHERE, HAVING": (
        "SELECT channel, median(amount) AS m, median(quantity) AS mq, quantile_cont(discount_pct, 0.25) AS p, "
        "COUNT(*) AS n, SUM(amount) AS s FROM fact_sales WHERE sale_id <> 4 GROUP BY channel "
        "HAVING COUNT(*) >= 1 ORDER BY channel NULLS FIRST"),
    "no GROUP BY": "SELECT median(amount) AS m, quantile_cont(quantity, 0.9) AS q, COUNT(*) AS n FROM fact_sales",
    "no rows": "SELECT median(amount) AS m, COUNT(*) AS n FROM fact_sales WHERE sale_id > 100",
    "WITHIN GROUP, descending, a join and positions": (
        "SELECT d.region, percentile_cont(0.75) WITHIN GROUP (ORDER BY f.amount DESC) AS m FROM fact_sales AS f "
        "JOIN dim_channel AS d ON f.channel = d.channel GROUP BY 1 ORDER BY 1"),
    "in a window": ("SELECT sale_id, median(amount) OVER (PARTITION BY channel) AS m FROM fact_sales "
                    "ORDER BY sale_id"),
    "discrete quantiles (a value of the group, its own type)": (
        "SELECT channel, quantile_disc(amount, 0.3) AS a, quantile(quantity, 0.9) AS b, "
        "percentile_disc(0.5) WITHIN GROUP (ORDER BY discount_pct) AS c FROM fact_sales GROUP BY channel "
        "ORDER BY channel NULLS FIRST"),
    "FILTER (WHERE ...)": (
        "SELECT channel, median(amount) FILTER (WHERE quantity > 1) AS m, "
        "percentile_cont(0.4) WITHIN GROUP (ORDER BY quantity) FILTER (WHERE sale_id > 2) AS p "
        "FROM fact_sales GROUP BY channel ORDER BY channel NULLS FIRST"),
    "grouped by a select alias and a position": (
        "SELECT sale_id % 3 AS bucket, channel IS NULL AS unknown, median(quantity) AS m FROM fact_sales "
        "GROUP BY bucket, 2 ORDER BY bucket, unknown"),
    "grouped by an expression, ordered by the median": (
        "SELECT sale_id % 2 AS odd, median(amount) AS m FROM fact_sales GROUP BY sale_id % 2 ORDER BY m"),
}


def _rows_on_both(sql: str) -> tuple[list[tuple], list[tuple]]:
    import duckdb

    from toolkit.sql.zetasql_service import ZetaSQL

    con = duckdb.connect()
    con.register("fact_sales", FACT)
    con.register("dim_channel", REGIONS)
    source = con.execute(sql).fetchall()
    text = compile_query(sql, source_dialect="duckdb", engine="bigquery", catalog=CATALOG_WITH_REGIONS,
                         pretty=False).sql
    result = ZetaSQL.get().evaluate(text, {"fact_sales": FACT, "dim_channel": REGIONS})
    return source, [tuple(row.values()) for row in result.to_pylist()]


def _same(a: object, b: object) -> bool:
    """Decimals exactly (Decimal('1.87') == Decimal('1.870000000')), DOUBLEs to 1e-12 (interpolation order), the
    same kind of number on both sides."""
    if isinstance(a, float) or isinstance(b, float):
        return type(a) is type(b) and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("case", list(MEDIAN_QUERIES))
def test_exact_medians_agree_with_bigquery_semantics(case):
    source, bigquery = _rows_on_both(MEDIAN_QUERIES[case])
    assert source and len(bigquery) == len(source)
    for got, want in zip(bigquery, source):
        assert len(got) == len(want) and all(_same(g, w) for g, w in zip(got, want)), (got, want)


def test_decimal_median_is_truncated_to_the_input_scale_like_duckdb():
    source, bigquery = _rows_on_both("SELECT channel, median(amount) AS m FROM fact_sales GROUP BY channel "
                                     "ORDER BY channel NULLS FIRST")
    medians = dict(source)
    assert medians["web"] == Decimal("1.87")  # (1.25 + 2.50) / 2 = 1.875, truncated toward zero
    assert medians["store"] == Decimal("2.30") and medians["phone"] is None  # even count; only NULLs
    assert bigquery == source
