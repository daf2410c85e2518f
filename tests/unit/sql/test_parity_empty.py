"""A KPI that answers nothing on the sample is `empty`, never a vacuous pass (issue 14.3): detection and probes."""

from __future__ import annotations

import pyarrow as pa

from toolkit.sql.parity.empty import probe_sql, vacuous


def test_no_rows_and_only_nulls_are_vacuous():
    assert vacuous(pa.table({"a": pa.array([], pa.int64())})) == "0 rows"
    assert vacuous(pa.table({"a": [None, None], "b": pa.array([None, None], pa.float64())})) == "only NULLs (2 rows)"


def test_a_single_real_value_is_not_vacuous():
    assert vacuous(pa.table({"n": [0], "total": pa.array([None], pa.float64())})) is None  # COUNT 0 is an answer
    assert vacuous(pa.table({"a": [None, 1]})) is None


def test_probe_counts_the_from_and_joins_without_filters_or_grouping():
    sql = ("WITH x AS (SELECT 1 AS k) SELECT f.channel, SUM(f.amount) AS s FROM fact_sales AS f "
           "JOIN dim_payment AS p ON p.payment_method = f.channel WHERE f.quantity > 2 GROUP BY 1 HAVING s > 0 "
           "ORDER BY 1 LIMIT 5")
    probe = probe_sql(sql, "duckdb")
    assert probe is not None
    assert probe.has_join and probe.has_filter
    text = probe.sql.upper()
    assert "COUNT(*)" in text and "JOIN DIM_PAYMENT" in text and "WITH X AS" in text
    for gone in ("WHERE", "GROUP BY", "HAVING", "ORDER BY", "LIMIT", "SUM("):
        assert gone not in text, gone
    assert probe.filters_sql is not None and "WHERE" in probe.filters_sql.upper()


def test_probe_is_none_for_a_set_operation_or_bad_sql():
    assert probe_sql("SELECT 1 AS a UNION ALL SELECT 2", "duckdb") is None
    assert probe_sql("SELEC nonsense", "duckdb") is None
