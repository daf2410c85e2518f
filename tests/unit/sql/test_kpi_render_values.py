"""KPI results printed for people and CSV: BigQuery NUMERIC (scale 9) zeros and decimals in plain notation."""

from __future__ import annotations

import json
from decimal import Decimal

import pyarrow as pa

from toolkit.cli.kpi_render import print_runs, runs_csv, runs_json, text
from toolkit.sql.suite import KpiRun


def _run() -> KpiRun:
    numeric = pa.array([Decimal("5.25"), Decimal(0), None], type=pa.decimal128(38, 9))
    return KpiRun(kpi="limits", engine="bigquery", seconds=0.1, table=pa.table({"name": ["a", "b", "c"], "x": numeric}))


def test_decimal_text_has_no_exponent() -> None:
    assert str(Decimal("0E-9")) == "0E-9"  # what Python prints for a NUMERIC zero read from Arrow
    assert text(Decimal("0E-9")) == "0.000000000"
    assert text(Decimal("1.2E+3")) == "1200"
    assert text(Decimal("5.250000000")) == "5.250000000"  # the type's scale is kept: it is what BigQuery returns
    assert text(1.5) == "1.5" and text("x") == "x"


def test_csv_json_and_text_show_plain_decimals(capsys) -> None:
    csv_text = runs_csv([_run()])
    assert "a,5.250000000\nb,0.000000000\nc,\n" in csv_text and "E-9" not in csv_text
    rows = runs_json([_run()])["results"][0]["rows"]
    assert rows == [["a", "5.250000000"], ["b", "0.000000000"], ["c", None]]
    json.dumps(rows)
    print_runs([_run()], "text", 20)
    out = capsys.readouterr().out
    assert "0.000000000" in out and "0E-9" not in out
