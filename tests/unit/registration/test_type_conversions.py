"""What each engine reads a Parquet column as, and the DDL that follows from it (pure: written Parquet footers only).

Snowflake: docs.snowflake.com "CREATE FILE FORMAT", TYPE = PARQUET, USE_LOGICAL_TYPE (non-vectorized scanner table):
with USE_LOGICAL_TYPE = TRUE, TimestampType(isAdjustedToUtc=True, MILLIS/MICROS/NANOS) -> TIMESTAMP_LTZ,
TimestampType(isAdjustedToUtc=False, …) -> TIMESTAMP_NTZ, INT96 -> TIMESTAMP_NTZ, TimeType -> TIME.
BigQuery: docs.cloud.google.com/bigquery/docs/loading-data-cloud-storage-parquet, "Parquet conversions" (type table,
unsigned logical types, decimal logical type, list logical type) and the REST reference's decimalTargetTypes.
fakesnow cannot show what a real Snowflake reads (it reads Parquet through DuckDB and has no session time zone), so the
Snowflake half is pinned on the type map and the generated external table text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from toolkit.gold.model import Column, GoldCatalog, GoldTable
from toolkit.registration import statements
from toolkit.registration.desired import desired_bigquery, desired_snowflake
from toolkit.types import LogicalType, snowflake_reads, snowflake_value

_KINDS = [  # (Arrow type, stored as INT96, Snowflake reads it as, the declared column, BigQuery infers)
    (pa.timestamp("ms", tz="UTC"), False, "TIMESTAMP_LTZ", "TIMESTAMP_TZ", "TIMESTAMP"),
    (pa.timestamp("us", tz="UTC"), False, "TIMESTAMP_LTZ", "TIMESTAMP_TZ", "TIMESTAMP"),
    (pa.timestamp("ns", tz="UTC"), False, "TIMESTAMP_LTZ", "TIMESTAMP_TZ", "TIMESTAMP"),
    (pa.timestamp("ms"), False, "TIMESTAMP_NTZ", "TIMESTAMP_NTZ", "TIMESTAMP"),
    (pa.timestamp("us"), False, "TIMESTAMP_NTZ", "TIMESTAMP_NTZ", "TIMESTAMP"),
    (pa.timestamp("ns"), False, "TIMESTAMP_NTZ", "TIMESTAMP_NTZ", "TIMESTAMP"),
    (pa.timestamp("ns"), True, "TIMESTAMP_NTZ", "TIMESTAMP_TZ", "TIMESTAMP"),
]


def _footer_type(tmp_path: Path, data_type: pa.DataType, int96: bool) -> LogicalType:
    """Write one column as a writer would and read it back the way fedkit reads a gold table."""
    from toolkit.gold.schema import read_table

    folder = tmp_path / "t"
    folder.mkdir()
    table = pa.table({"c": pa.array([0], pa.timestamp("ns")).cast(data_type)})
    pq.write_table(table, folder / "part-0.parquet", use_deprecated_int96_timestamps=int96,
                   coerce_timestamps=None if int96 or data_type.unit == "ns" else data_type.unit)
    (column,) = read_table(str(folder), "t").columns
    return column.type


@pytest.mark.parametrize("data_type, int96, reads, declared, bigquery", _KINDS,
                         ids=[f"{t}{' int96' if i else ''}" for t, i, *_ in _KINDS])
def test_every_parquet_timestamp_kind_keeps_its_instant_on_snowflake(
    tmp_path, data_type, int96, reads, declared, bigquery
):
    logical = _footer_type(tmp_path, data_type, int96)
    assert logical.int96 is int96
    assert snowflake_reads(logical) == reads
    assert logical.render("snowflake") == declared
    assert logical.render("bigquery") == bigquery == "TIMESTAMP" and logical.render("zetasql") == "TYPE_TIMESTAMP"
    value = snowflake_value('value:"c"', logical)
    if reads == "TIMESTAMP_LTZ":
        # LTZ -> TZ keeps the UTC instant and only attaches the session's offset.
        assert value == 'value:"c"::TIMESTAMP_TZ'
    elif int96:
        # An NTZ holding the UTC wall clock: a plain ::TIMESTAMP_TZ would read it in the session's zone.
        assert "::TIMESTAMP_TZ" not in value and value.endswith(", 'UTC')")
        assert value.startswith("TIMESTAMP_TZ_FROM_PARTS(YEAR(value:\"c\"::TIMESTAMP_NTZ)")
        assert "NANOSECOND(value:\"c\"::TIMESTAMP_NTZ)" in value
    else:
        assert value == 'value:"c"::TIMESTAMP_NTZ'  # wall clock stays wall clock


def test_time_and_non_temporal_columns_are_read_as_declared():
    assert snowflake_reads(LogicalType("time")) == "TIME"
    assert snowflake_reads(LogicalType("int64")) is None
    assert snowflake_value('value:"n"', LogicalType("decimal", 12, 2)) == 'value:"n"::NUMBER(12, 2)'


def _catalog(*columns: tuple[str, LogicalType]) -> GoldCatalog:
    table = GoldTable("t", "s3://fedkit-demo-gold/gold/t", tuple(Column(n, k) for n, k in columns), 1, 1, 1)
    return GoldCatalog((table,))


def test_an_int96_column_gets_the_utc_reassembly_in_the_external_table(loaded):
    desired = desired_snowflake(loaded, _catalog(("spark_ts", LogicalType("timestamptz", int96=True)),
                                                 ("order_ts", LogicalType("timestamptz"))))
    sql = statements.snowflake_table(desired, desired.tables[0])
    assert "order_ts TIMESTAMP_TZ AS (value:\"order_ts\"::TIMESTAMP_TZ)" in sql
    assert re.search(
        r"spark_ts TIMESTAMP_TZ AS \(TIMESTAMP_TZ_FROM_PARTS\(YEAR\(value:\"spark_ts\"::TIMESTAMP_NTZ\).*'UTC'\)\)", sql
    )
    from toolkit.sql.ddl import check_snowflake

    check_snowflake(sql)


@pytest.mark.parametrize("data_type, bigquery", [
    # "Type conversions": INT32/INT64 with or without INTEGER(UINT_8…UINT_64, INT_8…INT_64) -> INT64
    (pa.int8(), "INT64"), (pa.uint16(), "INT64"), (pa.uint32(), "INT64"), (pa.uint64(), "INT64"),
    (pa.float32(), "FLOAT64"), (pa.float64(), "FLOAT64"), (pa.bool_(), "BOOL"),
    # BYTE_ARRAY STRING (UTF8) -> STRING, whatever the Arrow flavour or a dictionary encoding
    (pa.string(), "STRING"), (pa.large_string(), "STRING"), (pa.dictionary(pa.int32(), pa.string()), "STRING"),
    # BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY without a logical type -> BYTES
    (pa.binary(), "BYTES"), (pa.large_binary(), "BYTES"), (pa.binary(16), "BYTES"),
    (pa.date32(), "DATE"), (pa.time32("ms"), "TIME"), (pa.time64("us"), "TIME"),
    # DECIMAL -> NUMERIC where it fits (P - S <= 29, S <= 9), else BIGNUMERIC (decimalTargetTypes examples)
    (pa.decimal128(38, 9), "NUMERIC(38, 9)"), (pa.decimal256(39, 9), "BIGNUMERIC(39, 9)"),
    (pa.decimal128(38, 10), "BIGNUMERIC(38, 10)"), (pa.decimal256(76, 38), "BIGNUMERIC(76, 38)"),
    # nested groups -> STRUCT; LIST with list inference -> ARRAY of the element
    (pa.list_(pa.int64()), "ARRAY<INT64>"), (pa.struct([("a", pa.int64())]), "STRUCT<`a` INT64>"),
])
def test_bigquery_gets_the_type_its_parquet_conversion_gives(data_type, bigquery):
    from toolkit.types import from_arrow

    logical = from_arrow(data_type)
    assert logical.render("bigquery") == bigquery
    assert logical.render("zetasql") == "TYPE_" + {"BOOL": "BOOL", "FLOAT64": "DOUBLE"}.get(
        bigquery, re.split(r"[<(]", bigquery)[0])


def test_biglake_table_lists_bignumeric_only_when_a_decimal_needs_it(loaded):
    """decimalTargetTypes defaults to ["NUMERIC"] for Parquet: without BIGNUMERIC listed, a decimal(39, 9) would be
    read as NUMERIC (and fail on wide values), a drift `--replace` could never fix."""
    from toolkit.sql.ddl import check_bigquery

    narrow = desired_bigquery(loaded, _catalog(("n", LogicalType("decimal", 12, 2))))
    wide = desired_bigquery(loaded, _catalog(("n", LogicalType("decimal", 39, 9))))
    assert "decimal_target_types" not in statements.bigquery_table(narrow, narrow.tables[0])
    sql = statements.bigquery_table(wide, wide.tables[0])
    assert "decimal_target_types = ['NUMERIC', 'BIGNUMERIC']" in sql.replace('"', "'")
    check_bigquery(sql)


def test_biglake_table_infers_lists_as_arrays(loaded):
    """Without enable_list_inference BigQuery reads a standard LIST as STRUCT<list ARRAY<STRUCT<element>>>."""
    from toolkit.sql.ddl import check_bigquery

    plain = desired_bigquery(loaded, _catalog(("n", LogicalType("int64"))))
    strings = LogicalType("list", children=(("element", LogicalType("string")),))
    listed = desired_bigquery(loaded, _catalog(("tags", strings)))
    assert "enable_list_inference" not in statements.bigquery_table(plain, plain.tables[0])
    sql = statements.bigquery_table(listed, listed.tables[0])
    assert "enable_list_inference = true" in sql
    check_bigquery(sql)


def test_a_biglake_table_as_bigquery_infers_it_plans_no_drift(loaded):
    """BigQuery's own spellings of what it inferred (tables.get schema: INTEGER, TIMESTAMP, BIGNUMERIC, a REPEATED
    STRING): the declared types must match, or `plan` would report a drift that `--replace` recreates identically."""
    from toolkit.registration.observed import ObservedBigQuery, ObservedConnection
    from toolkit.registration.plan import plan_bigquery_tables

    catalog = _catalog(("big_count", LogicalType("uint64")), ("wall", LogicalType("timestamp")),
                       ("spark_ts", LogicalType("timestamptz", int96=True)), ("wide", LogicalType("decimal", 40, 2)),
                       ("tags", LogicalType("list", children=(("element", LogicalType("string")),))))
    desired = desired_bigquery(loaded, catalog)
    inferred = (("big_count", "INTEGER"), ("wall", "TIMESTAMP"), ("spark_ts", "TIMESTAMP"), ("wide", "BIGNUMERIC"),
                ("tags", "ARRAY<STRING>"))
    observed = ObservedBigQuery("aws-us-east-1", ObservedConnection("arn:aws:iam::1:role/r", "1" * 21), {"t": inferred})
    assert plan_bigquery_tables(desired, observed) == []


class _Scripted:
    """The cloud adapter with its `execute` answering from a script (what Snowflake's SHOW/DESC return)."""

    def __new__(cls, answers: dict[str, list[dict]]):
        from toolkit.engines.snowflake import SnowflakeCloudEngine

        engine = SnowflakeCloudEngine.__new__(SnowflakeCloudEngine)
        engine.execute = lambda sql, params=None: next(rows for head, rows in answers.items() if sql.startswith(head))
        return engine


def test_the_cloud_adapter_reads_options_from_show_and_falls_back_to_desc(loaded, gold):
    """docs.snowflake.com "SHOW FILE FORMATS" (format_options, JSON) and "DESCRIBE FILE FORMAT" (property rows)."""
    desired = desired_snowflake(loaded, gold.sample)
    row = {"name": "FEDKIT_PARQUET", "type": "PARQUET"}
    shown = _Scripted({"SHOW FILE FORMATS": [{**row, "format_options": '{"TYPE":"PARQUET","BINARY_AS_TEXT":true,'
                                                                       '"USE_LOGICAL_TYPE":false,"NULL_IF":["\\\\N"]}'}]})
    options = shown.observe_file_format(desired)
    assert (options["TYPE"], options["USE_LOGICAL_TYPE"], options["BINARY_AS_TEXT"]) == ("PARQUET", "FALSE", "TRUE")
    described = _Scripted({"SHOW FILE FORMATS": [row], "DESC FILE FORMAT": [
        {"property": "TYPE", "property_value": "PARQUET"}, {"property": "BINARY_AS_TEXT", "property_value": "FALSE"},
        {"property": "USE_LOGICAL_TYPE", "property_value": "TRUE"}]})
    assert described.observe_file_format(desired) == {"TYPE": "PARQUET", "BINARY_AS_TEXT": "FALSE", "USE_LOGICAL_TYPE": "TRUE"}
    assert _Scripted({"SHOW FILE FORMATS": []}).observe_file_format(desired) is None
