"""The one type map: Arrow (what the Parquet says) -> BigQuery, Snowflake, DuckDB and ZetaSQL.

Gold schemas are kept as `LogicalType`s (plain data, JSON round-trip) so that catalogs can be cached and
compared without importing pyarrow; `from_arrow` is the only place that looks at pyarrow types.

BigQuery infers a BigLake table's columns from the Parquet itself, so its column is whatever BigQuery's documented
conversion gives (docs.cloud.google.com/bigquery/docs/loading-data-cloud-storage-parquet, "Parquet conversions"); a
declared type that differs would be drift that `--replace` cannot fix. ZetaSQL (the sandbox's BigQuery) gets the same
type: where ZetaSQL could hold more (it has UINT64, BigQuery has not), BigQuery's documented type wins, since the
sandbox stands in for BigQuery. Snowflake's external table columns are declared (`value:"c"::TYPE`) and read through
the FEDKIT_PARQUET file format with USE_LOGICAL_TYPE = TRUE; `snowflake_reads` says what Snowflake's reader gives for
each timestamp kind and `snowflake_value` how the declared column keeps the instant whatever the session's zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from toolkit.errors import UsageError

# kind -> (BigQuery, Snowflake, DuckDB, ZetaSQL TypeKind name, Glue/Hive DDL type or None: no Glue type, refused).
# Decimal, list and struct are rendered below.
_SCALARS: dict[str, tuple[str, str, str, str, str | None]] = {
    "bool": ("BOOL", "BOOLEAN", "BOOLEAN", "TYPE_BOOL", "boolean"),
    "int8": ("INT64", "NUMBER(38, 0)", "TINYINT", "TYPE_INT64", "tinyint"),
    "int16": ("INT64", "NUMBER(38, 0)", "SMALLINT", "TYPE_INT64", "smallint"),
    "int32": ("INT64", "NUMBER(38, 0)", "INTEGER", "TYPE_INT64", "int"),
    "int64": ("INT64", "NUMBER(38, 0)", "BIGINT", "TYPE_INT64", "bigint"),
    "uint8": ("INT64", "NUMBER(38, 0)", "UTINYINT", "TYPE_INT64", "smallint"),
    "uint16": ("INT64", "NUMBER(38, 0)", "USMALLINT", "TYPE_INT64", "int"),
    "uint32": ("INT64", "NUMBER(38, 0)", "UINTEGER", "TYPE_INT64", "bigint"),
    # BigQuery reads UINT_64 as INT64 and fails a read whose value exceeds 9,223,372,036,854,775,807 ("Parquet
    # conversions", unsigned logical types): NUMERIC would be a permanent drift. Snowflake and DuckDB hold every value.
    "uint64": ("INT64", "NUMBER(20, 0)", "UBIGINT", "TYPE_INT64", None),
    "float32": ("FLOAT64", "FLOAT", "FLOAT", "TYPE_DOUBLE", "float"),
    "float64": ("FLOAT64", "FLOAT", "DOUBLE", "TYPE_DOUBLE", "double"),
    "string": ("STRING", "VARCHAR", "VARCHAR", "TYPE_STRING", "string"),
    "binary": ("BYTES", "BINARY", "BLOB", "TYPE_BYTES", "binary"),
    "date": ("DATE", "DATE", "DATE", "TYPE_DATE", "date"),
    "time": ("TIME", "TIME", "TIME", "TYPE_TIME", None),
    # A timestamp without a zone (isAdjustedToUTC = false) is wall-clock time to Snowflake (TIMESTAMP_NTZ) and DuckDB,
    # but BigQuery's conversion table maps the TIMESTAMP logical type (MILLIS, MICROS) to TIMESTAMP whatever its
    # isAdjustedToUTC: BigQuery reads the wall clock as a UTC instant, and DATETIME would be a permanent drift.
    "timestamp": ("TIMESTAMP", "TIMESTAMP_NTZ", "TIMESTAMP", "TYPE_TIMESTAMP", "timestamp"),
    # A UTC-adjusted timestamp (or INT96) is an instant: BigQuery TIMESTAMP; Snowflake TIMESTAMP_TZ (see
    # `snowflake_value`: the reader gives TIMESTAMP_LTZ, and LTZ -> TZ keeps the instant).
    "timestamptz": ("TIMESTAMP", "TIMESTAMP_TZ", "TIMESTAMPTZ", "TYPE_TIMESTAMP", "timestamp"),
}

ENGINES = ("bigquery", "snowflake", "duckdb", "zetasql", "glue")
_ENGINE_INDEX = {name: index for index, name in enumerate(ENGINES)}
_ENGINE_TITLES = {"bigquery": "BigQuery", "snowflake": "Snowflake", "duckdb": "DuckDB", "zetasql": "BigQuery (ZetaSQL)",
                  "glue": "Glue"}

# Decimal limits, (max integer digits, max scale) per engine type. BigQuery NUMERIC(P, S): S <= 9, P - S <= 29;
# BIGNUMERIC(P, S): S <= 38, P - S <= 38 (76.76 digits in all). Snowflake NUMBER(P, S): P <= 38, S <= min(P, 37).
# DuckDB DECIMAL holds 38 digits; its Parquet reader reads anything wider as DOUBLE, so that is what we declare.
_BQ_NUMERIC = (29, 9)
_BQ_BIGNUMERIC = (38, 38)
_SNOWFLAKE_MAX_PRECISION, _SNOWFLAKE_MAX_SCALE = 38, 37
_DUCKDB_MAX_PRECISION = 38
# Glue columns carry Hive DDL type names, the ones Athena's CREATE TABLE takes (docs.aws.amazon.com/athena/latest/ug/
# data-types.html, the DDL column): DECIMAL precision and scale at most 38; no TIME in DDL ("not available"); no
# unsigned integers, so uint8/16/32 widen to the next signed type and uint64 (values up to 2^64-1) has none.
_GLUE_MAX_PRECISION = 38
_NO_TYPE = {
    ("glue", "time"): "no Glue type: Athena's DDL has no TIME (data types page); write it as a string or timestamp",
    ("glue", "uint64"): "no Glue type: bigint stops at 2^63-1 and Athena reads no unsigned 64-bit column; write it "
                        "as int64 or decimal128(20, 0)",
}


class UnsupportedType(UsageError):
    """An engine has no type that holds every value of a column (e.g. a decimal wider than Snowflake's 38 digits).

    Refused rather than mapped to something that would truncate values or give invalid DDL."""


def render_column(logical: "LogicalType", engine: str, table: str, column: str, arrow_type: str | None = None) -> str:
    """`logical.render(engine)`, refusing with one line that names the table, the column and the Arrow type."""
    try:
        return logical.render(engine)
    except UnsupportedType as exc:
        raise UnsupportedType(f"table {table}: column {column!r} (Arrow {arrow_type or logical}): {exc}") from None


@dataclass(frozen=True)
class LogicalType:
    kind: str
    precision: int | None = None
    scale: int | None = None
    children: tuple[tuple[str, "LogicalType"], ...] = field(default_factory=tuple)
    # A "timestamptz" stored as Parquet INT96 (Spark's default): the same instant everywhere, but Snowflake reads INT96
    # as TIMESTAMP_NTZ of the UTC wall clock, so its column needs another expression (`snowflake_value`).
    int96: bool = False

    # -- rendering ---------------------------------------------------------------------------------------------
    def render(self, engine: str) -> str:
        """The column type as written in `engine`'s DDL (`zetasql` gives a TypeKind name)."""
        index = _ENGINE_INDEX[engine]
        if self.kind in _SCALARS:
            rendered = _SCALARS[self.kind][index]
            if rendered is None:
                raise UnsupportedType(_NO_TYPE[(engine, self.kind)])
            return rendered
        if self.kind == "decimal":
            return _render_decimal(self.precision or 38, self.scale or 0, engine)
        if self.kind == "list":
            inner = self.children[0][1]
            return {
                "bigquery": f"ARRAY<{inner.render('bigquery')}>",
                "snowflake": "ARRAY",
                "duckdb": f"{inner.render('duckdb')}[]",
                "zetasql": "TYPE_ARRAY",
                "glue": f"array<{inner.render('glue')}>",
            }[engine]
        if self.kind == "struct":
            return {
                "bigquery": "STRUCT<" + ", ".join(f"`{n}` {t.render('bigquery')}" for n, t in self.children) + ">",
                "snowflake": "OBJECT",
                "duckdb": "STRUCT(" + ", ".join(f'"{n}" {t.render("duckdb")}' for n, t in self.children) + ")",
                "zetasql": "TYPE_STRUCT",
                "glue": "struct<" + ",".join(f"{n}:{t.render('glue')}" for n, t in self.children) + ">",
            }[engine]
        raise ValueError(f"no mapping for type kind {self.kind!r}")

    def bigquery(self) -> str:
        return self.render("bigquery")

    def snowflake(self) -> str:
        return self.render("snowflake")

    def duckdb(self) -> str:
        return self.render("duckdb")

    @property
    def is_numeric(self) -> bool:
        return self.kind.startswith(("int", "uint", "float")) or self.kind == "decimal"

    # -- persistence -------------------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.precision is not None:
            data["precision"] = self.precision
        if self.scale is not None:
            data["scale"] = self.scale
        if self.children:
            data["children"] = [[name, child.to_json()] for name, child in self.children]
        if self.int96:
            data["int96"] = True
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "LogicalType":
        return cls(
            kind=data["kind"],
            precision=data.get("precision"),
            scale=data.get("scale"),
            children=tuple((name, cls.from_json(child)) for name, child in data.get("children", [])),
            int96=bool(data.get("int96", False)),
        )

    def __str__(self) -> str:
        if self.kind == "decimal":
            return f"decimal({self.precision}, {self.scale})"
        if self.kind == "list":
            return f"list<{self.children[0][1]}>"
        if self.kind == "struct":
            return "struct<" + ", ".join(f"{n}: {t}" for n, t in self.children) + ">"
        return self.kind + (" (Parquet INT96)" if self.int96 else "")


def _render_decimal(precision: int, scale: int, engine: str) -> str:
    """A decimal's type on `engine`; UnsupportedType when the engine cannot hold every value (never a silent cap)."""
    if scale < 0 or scale > precision:
        raise UnsupportedType(f"no {_ENGINE_TITLES[engine]} type: the scale must be between 0 and the precision")
    return _DECIMALS[engine](precision, scale)


def _snowflake_decimal(precision: int, scale: int) -> str:
    if precision > _SNOWFLAKE_MAX_PRECISION or scale > _SNOWFLAKE_MAX_SCALE:
        raise UnsupportedType(
            f"no Snowflake type: NUMBER holds at most {_SNOWFLAKE_MAX_PRECISION} digits with at most "
            f"{_SNOWFLAKE_MAX_SCALE} decimals; write the column as decimal128(38, s) or narrower"
        )
    return f"NUMBER({precision}, {scale})"


def _duckdb_decimal(precision: int, scale: int) -> str:
    return f"DECIMAL({precision}, {scale})" if precision <= _DUCKDB_MAX_PRECISION else "DOUBLE"


def _glue_decimal(precision: int, scale: int) -> str:
    if precision > _GLUE_MAX_PRECISION:
        raise UnsupportedType(f"no Glue type: decimal holds at most {_GLUE_MAX_PRECISION} digits; write the "
                              "column as decimal128(38, s) or narrower")
    return f"decimal({precision},{scale})"


def _bigquery_decimal_kind(precision: int, scale: int) -> str:
    """NUMERIC or BIGNUMERIC: the narrower BigQuery type that holds every value."""

    def fits(limits: tuple[int, int]) -> bool:
        return scale <= limits[1] and precision - scale <= limits[0]

    if fits(_BQ_NUMERIC):
        return "NUMERIC"
    if fits(_BQ_BIGNUMERIC):
        return "BIGNUMERIC"
    raise UnsupportedType(
        f"no BigQuery type: BIGNUMERIC holds at most {_BQ_BIGNUMERIC[0]} integer digits and {_BQ_BIGNUMERIC[1]} "
        "decimals; write the column with fewer digits"
    )


# engine -> (precision, scale) -> the decimal's type, as `render` writes it (ZetaSQL: the TypeKind name).
_DECIMALS: dict[str, Callable[[int, int], str]] = {
    "bigquery": lambda p, s: f"{_bigquery_decimal_kind(p, s)}({p}, {s})",
    "snowflake": _snowflake_decimal,
    "duckdb": _duckdb_decimal,
    "glue": _glue_decimal,
    "zetasql": lambda p, s: f"TYPE_{_bigquery_decimal_kind(p, s)}",
}


# -- Snowflake: what the Parquet reader gives, and how a declared column keeps the instant ----------------------------
# docs.snowflake.com "CREATE FILE FORMAT", TYPE = PARQUET, USE_LOGICAL_TYPE (the scanner external tables use, with
# USE_LOGICAL_TYPE = TRUE): TimestampType(isAdjustedToUtc=True, MILLIS/MICROS/NANOS) -> TIMESTAMP_LTZ;
# TimestampType(isAdjustedToUtc=False, MILLIS/MICROS/NANOS) -> TIMESTAMP_NTZ; INT96 -> TIMESTAMP_NTZ;
# TimeType -> TIME. (With the default USE_LOGICAL_TYPE = FALSE an adjusted MILLIS/MICROS timestamp reads as
# TIMESTAMP_NTZ and NANOS as an INTEGER: the reason the file format sets it.)
_SNOWFLAKE_READS = {"timestamptz": "TIMESTAMP_LTZ", "timestamp": "TIMESTAMP_NTZ", "time": "TIME"}


def snowflake_reads(logical: LogicalType) -> str | None:
    """The type Snowflake's Parquet reader gives a temporal column through fedkit's file format (None: not temporal)."""
    if logical.int96:
        return "TIMESTAMP_NTZ"
    return _SNOWFLAKE_READS.get(logical.kind)


def snowflake_value(path: str, logical: LogicalType) -> str:
    """The external table column's expression over `path` (`value:"c"`), keeping instants whatever the session zone.

    A UTC-adjusted timestamp arrives as TIMESTAMP_LTZ, an instant; casting it to TIMESTAMP_TZ keeps that instant and
    attaches the session's offset ("Date & time data types": TIMESTAMP_TZ values compare by their UTC time), so every
    session sees the same instant. TIMESTAMP_LTZ would serve as well; TIMESTAMP_TZ keeps the tables fedkit registered
    before valid (no --replace needed). INT96 arrives as TIMESTAMP_NTZ holding the UTC wall clock, where a cast to
    TIMESTAMP_TZ would take the session's zone ("CONVERT_TIMEZONE": an NTZ is read in the session zone), so its parts
    are reassembled in UTC with TIMESTAMP_TZ_FROM_PARTS(…, 'UTC') ("TIMESTAMP_FROM_PARTS": the time_zone argument),
    which no session parameter changes.
    """
    column_type = logical.render("snowflake")
    if not logical.int96:
        return f"{path}::{column_type}"
    wall = f"{path}::TIMESTAMP_NTZ"
    parts = ", ".join(f"{part}({wall})" for part in ("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "NANOSECOND"))
    return f"TIMESTAMP_TZ_FROM_PARTS({parts}, 'UTC')"


def from_arrow(data_type: Any, parquet_int96: bool = False) -> LogicalType:
    """Map a pyarrow DataType to a LogicalType; ValueError names the type when it has no mapping.

    `parquet_int96`: the column is stored as Parquet INT96 (Spark's default timestamp encoding). Arrow reads it
    without a zone, but it holds UTC instants and BigQuery reads it as TIMESTAMP: it is an instant, not wall-clock.
    """
    import pyarrow as pa
    import pyarrow.types as t

    if parquet_int96 and t.is_timestamp(data_type):
        return LogicalType("timestamptz", int96=True)

    if t.is_dictionary(data_type):
        return from_arrow(data_type.value_type)
    if t.is_boolean(data_type):
        return LogicalType("bool")
    for bits in (8, 16, 32, 64):
        if data_type == getattr(pa, f"int{bits}")():
            return LogicalType(f"int{bits}")
        if data_type == getattr(pa, f"uint{bits}")():
            return LogicalType(f"uint{bits}")
    if t.is_float16(data_type) or t.is_float32(data_type):
        return LogicalType("float32")
    if t.is_float64(data_type):
        return LogicalType("float64")
    if t.is_decimal(data_type):
        return LogicalType("decimal", precision=data_type.precision, scale=data_type.scale)
    if t.is_string(data_type) or t.is_large_string(data_type) or _is_string_view(data_type):
        return LogicalType("string")
    if t.is_binary(data_type) or t.is_large_binary(data_type) or t.is_fixed_size_binary(data_type) or _is_view(
            data_type, "binary"):
        return LogicalType("binary")
    if t.is_date(data_type):
        return LogicalType("date")
    if t.is_time(data_type):
        return LogicalType("time")
    if t.is_timestamp(data_type):
        return LogicalType("timestamptz" if data_type.tz is not None else "timestamp")
    if t.is_list(data_type) or t.is_large_list(data_type) or t.is_fixed_size_list(data_type) or _is_view(
            data_type, "list", "large_list"):
        return LogicalType("list", children=(("element", from_arrow(data_type.value_type)),))
    if t.is_struct(data_type):
        return LogicalType(
            "struct",
            children=tuple((data_type.field(i).name, from_arrow(data_type.field(i).type)) for i in range(data_type.num_fields)),
        )
    raise ValueError(f"Arrow type {data_type} has no BigQuery/Snowflake mapping")


def _is_string_view(data_type: Any) -> bool:
    return _is_view(data_type, "string")


def _is_view(data_type: Any, *flavours: str) -> bool:
    """An Arrow view type (`string_view`, `binary_view`, `list_view`, `large_list_view`: Polars and DuckDB write
    them); older pyarrow releases have no such type nor its `is_…_view` check."""
    import pyarrow.types as t

    return any(bool(getattr(t, f"is_{flavour}_view", lambda _: False)(data_type)) for flavour in flavours)
