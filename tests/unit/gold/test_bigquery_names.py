"""BigQuery external tables read only classic column names (no flexible column names): the rule fedkit applies
before registering, displaying or validating a table for BigQuery."""

from __future__ import annotations

import pytest

from toolkit.gold.model import Column
from toolkit.gold.names import bigquery_column_problem, bigquery_name_problem
from toolkit.types import LogicalType


@pytest.mark.parametrize("name", ["order_id", "_private", "MixedCase", "select", "a" * 300, "x1_2"])
def test_classic_names_are_readable(name: str) -> None:
    assert bigquery_name_problem(name) is None


@pytest.mark.parametrize(("name", "why"), [
    ("Customer's Name", "holds ' ', \"'\""),
    ("Straße", "holds 'ß'"),
    ("a=b", "holds '='"),
    ("order-id", "holds '-'"),
    ("1st", "starts with a digit"),
    ("a" * 301, "is longer than 300 characters"),
    ("_partitiontime", "starts with the reserved prefix _PARTITION"),
    ("_change_type", "starts with the reserved prefix _CHANGE_TYPE"),
    ("_Object_Metadata", "is reserved in external tables"),
])
def test_flexible_or_reserved_names_are_not(name: str, why: str) -> None:
    assert bigquery_name_problem(name) == why


def test_the_problem_names_table_column_kind_and_rule() -> None:
    key = Column("order month", LogicalType("date"), partition=True)
    assert bigquery_column_problem("fact_sales", key) == (
        "table fact_sales: partition key 'order month' holds ' '; BigQuery external tables take no flexible column "
        "names: only letters a-z A-Z, digits and '_', starting with a letter or '_', at most 300 characters, no "
        "reserved prefix (_TABLE_, _FILE_, _PARTITION, …)")
    assert bigquery_column_problem("t", Column("ok", LogicalType("string"))) is None


def test_struct_fields_follow_the_same_rule() -> None:
    inner = LogicalType("struct", children=(("zip code", LogicalType("string")),))
    nested = Column("address", LogicalType("list", children=(("element", inner),)))
    assert bigquery_column_problem("t", nested).startswith("table t: column 'address' (field 'zip code') holds ' '")
