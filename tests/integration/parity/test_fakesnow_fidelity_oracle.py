"""fakesnow itself departs from Snowflake's documentation on these (tests/corpus/snowflake_hunt found them); the
Snowflake oracle restates them first, so its rows are Snowflake's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest

from toolkit.sql.parity.oracle import OracleError, make_oracle

TABLES = {"t": pa.table({"d": pa.array([dt.date(2024, 6, 1)], pa.date32()), "x": pa.array([0.25]),
                         "g": pa.array(["a"]), "q": pa.array([3], pa.int64())})}


@pytest.fixture(scope="module")
def oracle():
    made = make_oracle("snowflake", {"t": "T"}, database="ANALYTICS", schema="GOLD")
    yield made
    made.close()


def _raw(oracle, sql: str):
    cursor = oracle._execute(sql)  # fakesnow as it is, without the restatement
    return cursor.fetchall()


def test_to_char_elements_are_case_insensitive(oracle):
    sql = "SELECT TO_CHAR(d::DATE, 'Mon YYYY') AS m FROM T"  # typed: the format is not lost outright
    assert oracle.run(sql, TABLES).column("M").to_pylist() == ["Jun 2024"]
    assert _raw(oracle, sql) == [("Mon 2024",)]  # fakesnow prints the element as text


def test_float_to_integer_rounds_half_away_from_zero(oracle):
    sql = "SELECT (x * 10)::INTEGER AS i FROM T"
    assert oracle.run(sql, TABLES).column("I").to_pylist() == [3]
    assert _raw(oracle, sql) == [(2,)]  # DuckDB's cast rounds 2.5 half to even


def test_ratio_to_report_runs(oracle):
    sql = "SELECT RATIO_TO_REPORT(q) OVER (PARTITION BY g) AS r FROM T"
    assert [float(v) for v in oracle.run(sql, TABLES).column("R").to_pylist()] == [1.0]
    with pytest.raises(Exception, match="ratio_to_report"):
        _raw(oracle, sql)
    with pytest.raises(OracleError):  # Snowflake refuses ORDER BY in RATIO_TO_REPORT; fakesnow errors either way
        oracle.run("SELECT RATIO_TO_REPORT(q) OVER (ORDER BY g) AS r FROM T", TABLES)


def test_percentile_cont_of_a_number_keeps_three_more_decimals(oracle):
    tables = {"t": pa.table({"a": pa.array([Decimal("1.00"), Decimal("1.01")], pa.decimal128(12, 2))})}
    sql = "SELECT PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY a) AS p FROM T"
    assert oracle.run(sql, tables).column("P").to_pylist() == [Decimal("1.009")]  # Snowflake: NUMBER(15, 5)
    assert _raw(oracle, sql) == [(Decimal("1.00"),)]  # fakesnow keeps the 2 decimals
