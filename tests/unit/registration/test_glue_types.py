"""Arrow -> Glue (Hive DDL) column types, from the one type map (Athena "Data types in Amazon Athena", DDL column)."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest

from toolkit.types import UnsupportedType, from_arrow


@pytest.mark.parametrize(
    ("arrow", "hive"),
    [
        (pa.bool_(), "boolean"),
        (pa.int8(), "tinyint"),
        (pa.int16(), "smallint"),
        (pa.int32(), "int"),
        (pa.int64(), "bigint"),
        (pa.uint8(), "smallint"),  # widened: Hive has no unsigned types, and tinyint stops at 127
        (pa.uint16(), "int"),
        (pa.uint32(), "bigint"),
        (pa.float32(), "float"),
        (pa.float64(), "double"),
        (pa.decimal128(12, 2), "decimal(12,2)"),
        (pa.decimal128(38, 38), "decimal(38,38)"),
        (pa.string(), "string"),
        (pa.large_string(), "string"),
        (pa.binary(), "binary"),
        (pa.date32(), "date"),
        (pa.timestamp("us"), "timestamp"),
        (pa.timestamp("us", tz="UTC"), "timestamp"),
        (pa.list_(pa.int64()), "array<bigint>"),
        (pa.struct([("a", pa.string()), ("b", pa.list_(pa.float64()))]), "struct<a:string,b:array<double>>"),
    ],
)
def test_glue_types_follow_the_hive_ddl_names(arrow, hive):
    assert from_arrow(arrow).render("glue") == hive


@pytest.mark.parametrize(
    ("arrow", "reason"),
    [
        (pa.time64("us"), "TIME"),
        (pa.uint64(), "2^63-1"),
        (pa.decimal256(40, 2), "38 digits"),
        (pa.list_(pa.time32("ms")), "TIME"),  # refused inside a nested type too
    ],
)
def test_types_glue_cannot_hold_are_refused_by_name(arrow, reason):
    with pytest.raises(UnsupportedType, match=re.escape(reason)):
        from_arrow(arrow).render("glue")


def test_other_engines_are_unchanged_by_the_glue_column():
    assert from_arrow(pa.uint64()).render("snowflake") == "NUMBER(20, 0)"
    assert from_arrow(pa.time64("us")).render("bigquery") == "TIME"
