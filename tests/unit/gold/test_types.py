"""The one type map (toolkit/types.py): Arrow -> BigQuery / Snowflake / DuckDB / ZetaSQL."""

from __future__ import annotations

import pyarrow as pa
import pytest

from toolkit.types import LogicalType, UnsupportedType, from_arrow


def _all(data_type: pa.DataType) -> tuple[str, str, str, str]:
    logical = from_arrow(data_type)
    return tuple(logical.render(engine) for engine in ("bigquery", "snowflake", "duckdb", "zetasql"))  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("data_type", "expected"),
    [
        (pa.decimal128(10, 2), ("NUMERIC(10, 2)", "NUMBER(10, 2)", "DECIMAL(10, 2)", "TYPE_NUMERIC")),
        (pa.decimal128(38, 9), ("NUMERIC(38, 9)", "NUMBER(38, 9)", "DECIMAL(38, 9)", "TYPE_NUMERIC")),
        # 10 decimals do not fit NUMERIC's 9: BIGNUMERIC
        (pa.decimal128(20, 10), ("BIGNUMERIC(20, 10)", "NUMBER(20, 10)", "DECIMAL(20, 10)", "TYPE_BIGNUMERIC")),
        # 30 integer digits do not fit NUMERIC's 29
        (pa.decimal128(32, 2), ("BIGNUMERIC(32, 2)", "NUMBER(32, 2)", "DECIMAL(32, 2)", "TYPE_BIGNUMERIC")),
        # the widest BIGNUMERIC: 38 integer digits and 38 decimals
        (pa.decimal256(76, 38), ("BIGNUMERIC(76, 38)", None, "DOUBLE", "TYPE_BIGNUMERIC")),
        # Snowflake's edge: 38 digits, 37 decimals
        (pa.decimal128(38, 37), ("BIGNUMERIC(38, 37)", "NUMBER(38, 37)", "DECIMAL(38, 37)", "TYPE_BIGNUMERIC")),
    ],
)
def test_decimal_keeps_precision_and_scale(data_type: pa.DataType, expected: tuple[str | None, ...]) -> None:
    logical = from_arrow(data_type)
    for engine, want in zip(("bigquery", "snowflake", "duckdb", "zetasql"), expected):
        if want is None:
            with pytest.raises(UnsupportedType):
                logical.render(engine)
        else:
            assert logical.render(engine) == want
    assert (logical.precision, logical.scale) == (data_type.precision, data_type.scale)


def test_decimal_wider_than_snowflake_is_refused_not_capped() -> None:
    """NUMBER(38, 20) for a decimal256(50, 20) would silently lose values with more than 18 integer digits."""
    logical = from_arrow(pa.decimal256(50, 20))
    assert logical.render("bigquery") == "BIGNUMERIC(50, 20)"
    assert logical.render("zetasql") == "TYPE_BIGNUMERIC"
    assert logical.render("duckdb") == "DOUBLE"  # what DuckDB's Parquet reader gives for > 38 digits
    with pytest.raises(UnsupportedType, match="^no Snowflake type: NUMBER holds at most 38 digits"):
        logical.render("snowflake")


@pytest.mark.parametrize(
    ("data_type", "engine", "message"),
    [
        # a scale above 38 gave NUMBER(38, 40) and BIGNUMERIC(45, 40): invalid DDL on both
        (pa.decimal256(45, 40), "snowflake", "no Snowflake type"),
        (pa.decimal256(45, 40), "bigquery", "no BigQuery type: BIGNUMERIC holds at most 38 integer digits and 38 decimals"),
        (pa.decimal256(45, 40), "zetasql", "no BigQuery type"),
        # 39 integer digits do not fit BIGNUMERIC; 56 neither (it used to give an invalid BIGNUMERIC(60, 4))
        (pa.decimal256(76, 37), "bigquery", "no BigQuery type"),
        (pa.decimal256(60, 4), "bigquery", "no BigQuery type"),
        (pa.decimal256(60, 4), "snowflake", "no Snowflake type"),
        # Snowflake's scale stops at 37
        (pa.decimal128(38, 38), "snowflake", "no Snowflake type"),
    ],
)
def test_unrepresentable_decimals_are_refused(data_type: pa.DataType, engine: str, message: str) -> None:
    with pytest.raises(UnsupportedType, match=message):
        from_arrow(data_type).render(engine)


def test_refusal_names_table_column_and_arrow_type_and_is_a_usage_error() -> None:
    from toolkit.errors import EXIT_USAGE
    from toolkit.gold.model import Column

    column = Column("amount", from_arrow(pa.decimal256(50, 20)), arrow_type="decimal256(50, 20)")
    assert column.render("bigquery", "fact_sales") == "BIGNUMERIC(50, 20)"
    with pytest.raises(UnsupportedType) as caught:
        column.render("snowflake", "fact_sales")
    assert str(caught.value).startswith("table fact_sales: column 'amount' (Arrow decimal256(50, 20)): no Snowflake type")
    assert "\n" not in str(caught.value) and caught.value.exit_code == EXIT_USAGE


@pytest.mark.parametrize("data_type", [pa.string(), pa.large_string(), pa.string_view(), pa.dictionary(pa.int32(), pa.string())])
def test_every_string_flavour_is_a_string(data_type: pa.DataType) -> None:
    assert from_arrow(data_type) == LogicalType("string")
    assert _all(data_type) == ("STRING", "VARCHAR", "VARCHAR", "TYPE_STRING")


def test_timestamp_with_zone_is_an_instant_and_without_is_wall_clock_except_on_bigquery() -> None:
    """BigQuery's "Parquet conversions" table maps the TIMESTAMP logical type to TIMESTAMP, adjusted or not."""
    assert _all(pa.timestamp("us", tz="UTC")) == ("TIMESTAMP", "TIMESTAMP_TZ", "TIMESTAMPTZ", "TYPE_TIMESTAMP")
    assert _all(pa.timestamp("ms", tz="Europe/Paris"))[0] == "TIMESTAMP"
    assert _all(pa.timestamp("ns")) == ("TIMESTAMP", "TIMESTAMP_NTZ", "TIMESTAMP", "TYPE_TIMESTAMP")


def test_parquet_int96_is_an_instant_although_arrow_reads_it_without_a_zone() -> None:
    """Spark writes timestamps as INT96 by default: UTC instants that BigQuery reads as TIMESTAMP, not DATETIME."""
    assert from_arrow(pa.timestamp("ns"), parquet_int96=True) == LogicalType("timestamptz", int96=True)
    assert from_arrow(pa.timestamp("ns", tz="UTC"), parquet_int96=True) == LogicalType("timestamptz", int96=True)
    assert from_arrow(pa.timestamp("ns"), parquet_int96=False) == LogicalType("timestamp")
    int96 = LogicalType("timestamptz", int96=True)
    assert LogicalType.from_json(int96.to_json()) == int96 and str(int96) == "timestamptz (Parquet INT96)"
    assert LogicalType("timestamptz").to_json() == {"kind": "timestamptz"}  # catalogs written before read the same


def test_uint64_is_int64_on_bigquery_as_bigquery_reads_it_and_exact_elsewhere() -> None:
    """BigQuery reads UINT_64 into INT64 and fails on a value above 2^63 - 1 ("Parquet conversions", unsigned types)."""
    assert _all(pa.uint64()) == ("INT64", "NUMBER(20, 0)", "UBIGINT", "TYPE_INT64")
    assert _all(pa.uint32())[:2] == ("INT64", "NUMBER(38, 0)")
    assert from_arrow(pa.uint64()).is_numeric


def test_list_and_struct_nest() -> None:
    nested = pa.struct([("sku", pa.string()), ("tags", pa.list_(pa.int32()))])
    assert from_arrow(pa.list_(pa.int64())).bigquery() == "ARRAY<INT64>"
    assert from_arrow(pa.large_list(pa.string())).duckdb() == "VARCHAR[]"
    assert from_arrow(nested).bigquery() == "STRUCT<`sku` STRING, `tags` ARRAY<INT64>>"
    assert from_arrow(nested).duckdb() == 'STRUCT("sku" VARCHAR, "tags" INTEGER[])'
    assert from_arrow(nested).snowflake() == "OBJECT"
    assert from_arrow(pa.list_(nested)).snowflake() == "ARRAY"


def test_logical_types_round_trip_through_json() -> None:
    for data_type in (pa.decimal128(12, 2), pa.struct([("a", pa.list_(pa.timestamp("us", tz="UTC")))]), pa.date32()):
        logical = from_arrow(data_type)
        assert LogicalType.from_json(logical.to_json()) == logical


def test_unmapped_type_is_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match="has no BigQuery/Snowflake mapping"):
        from_arrow(pa.null())


@pytest.mark.parametrize("data_type", [pa.binary(), pa.large_binary(), pa.binary_view()])
def test_every_binary_flavour_is_bytes(data_type: pa.DataType) -> None:
    """Polars, DuckDB and tpchgen write Arrow view and large types; the engines see plain BYTES/BINARY/BLOB."""
    assert from_arrow(data_type) == LogicalType("binary")
    assert _all(data_type) == ("BYTES", "BINARY", "BLOB", "TYPE_BYTES")


@pytest.mark.parametrize("data_type", [pa.list_(pa.string()), pa.large_list(pa.string_view()),
                                       pa.list_view(pa.string()), pa.large_list_view(pa.large_string())])
def test_every_list_flavour_is_a_list_of_its_plain_element(data_type: pa.DataType) -> None:
    assert from_arrow(data_type) == LogicalType("list", children=(("element", LogicalType("string")),))
    assert _all(data_type) == ("ARRAY<STRING>", "ARRAY", "VARCHAR[]", "TYPE_ARRAY")
