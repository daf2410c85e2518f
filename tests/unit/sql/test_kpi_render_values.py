"""KPI results for people, CSV and JSON: BigQuery NUMERIC (scale 9) zeros and decimals in plain notation, JSON numbers
kept as numbers (exact digits), arrays as arrays, CSV that the csv module reads back without cleaning."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pyarrow as pa

from toolkit.cli.kpi_render import print_runs, runs_json, text
from toolkit.cli.kpi_values import dumps, table_csv
from toolkit.sql.suite import KpiRun


def _run() -> KpiRun:
    numeric = pa.array([Decimal("5.25"), Decimal(0), None], type=pa.decimal128(38, 9))
    return KpiRun(kpi="limits", engine="bigquery", seconds=0.1, table=pa.table({"name": ["a", "b", "c"], "x": numeric}))


def _typed() -> pa.Table:
    return pa.table({
        "day": pa.array([dt.date(2024, 1, 31), None], type=pa.date32()),
        "at": pa.array([dt.datetime(2024, 1, 31, 10, 5, 1), None], type=pa.timestamp("us")),
        "ok": [True, None],
        "n": pa.array([3, None], type=pa.int64()),
        "ratio": [0.25, float("nan")],
        "amount": pa.array([Decimal("12345678901234567890.123456789"), None], type=pa.decimal128(38, 9)),
        "tags": pa.array([["a", "b"], None], type=pa.list_(pa.string())),
        "note": ['say "hi", then\nleave', None],
    })


def test_decimal_text_has_no_exponent() -> None:
    assert str(Decimal("0E-9")) == "0E-9"  # what Python prints for a NUMERIC zero read from Arrow
    assert text(Decimal("0E-9")) == "0.000000000"
    assert text(Decimal("1.2E+3")) == "1200"
    assert text(Decimal("5.250000000")) == "5.250000000"  # the type's scale is kept: it is what BigQuery returns
    assert text(1.5) == "1.5" and text("x") == "x"


def test_csv_json_and_text_show_plain_decimals(capsys) -> None:
    csv_text = table_csv(_run().table)
    assert csv_text == "name,x\na,5.250000000\nb,0.000000000\nc,\n"
    document = dumps(runs_json([_run()]))
    assert "5.250000000" in document and "0E-9" not in document
    assert json.loads(document)["results"][0]["rows"] == [["a", 5.25], ["b", 0], ["c", None]]
    print_runs([_run()], "text", 20)
    out = capsys.readouterr().out
    assert "0.000000000" in out and "0E-9" not in out


def test_json_keeps_numbers_arrays_and_exact_decimals() -> None:
    run = KpiRun(kpi="typed", engine="duckdb", seconds=0.1, table=_typed())
    (first, second) = json.loads(dumps(runs_json([run])), parse_float=Decimal)["results"][0]["rows"]
    assert first == ["2024-01-31", "2024-01-31T10:05:01", True, 3, Decimal("0.25"),
                     Decimal("12345678901234567890.123456789"), ["a", "b"], 'say "hi", then\nleave']
    assert second == [None, None, None, None, "NaN", None, None, None]  # JSON has no NaN number
    strings = json.loads(dumps(runs_json([run], decimals_as_strings=True)))["results"][0]["rows"][0]
    assert strings[5] == "12345678901234567890.123456789" and strings[3] == 3


def test_csv_reads_back_with_the_csv_module_and_arrow() -> None:
    """pandas is not installed here; Arrow's CSV reader (what pandas' pyarrow engine uses) infers the types back."""
    import pyarrow.csv as pacsv

    table = _typed()
    text_out = table_csv(table)
    assert not any(line.startswith("#") for line in text_out.splitlines())
    rows = list(csv.reader(io.StringIO(text_out)))
    assert rows[0] == table.schema.names
    assert rows[1] == ["2024-01-31", "2024-01-31T10:05:01", "true", "3", "0.25",
                       "12345678901234567890.123456789", '["a","b"]', 'say "hi", then\nleave']
    assert rows[2] == ["", "", "", "", "NaN", "", "", ""]  # NULL is an empty field
    read = pacsv.read_csv(io.BytesIO(text_out.encode()),
                          parse_options=pacsv.ParseOptions(newlines_in_values=True),
                          convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    assert read.schema.names == table.schema.names and read.num_rows == 2
    for name in ("day", "at", "ok", "n"):  # types and values come back from the text alone (ISO dates, true/false)
        assert read.column(name).type.equals(table.column(name).type) or name == "at", name  # at: unit s, not us
        assert read.column(name).to_pylist() == table.column(name).to_pylist(), name
    assert pa.types.is_timestamp(read.column("at").type)
    assert read.column("note").to_pylist() == table.column("note").to_pylist()
