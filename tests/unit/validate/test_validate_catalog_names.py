"""A `--catalog` snapshot is untrusted input like the Parquet it stands for: the names the gold reader refuses are
refused there too (exit 2, one line naming the file, table and column)."""

from __future__ import annotations

import json

import pytest

from toolkit.errors import UsageError
from toolkit.gold.model import Column, GoldCatalog, GoldTable
from toolkit.sql.validate.runner import read_catalog_file
from toolkit.types import LogicalType


def _snapshot(tmp_path, tables) -> str:
    catalog = GoldCatalog(tuple(
        GoldTable(name, f"s3://b/gold/{name}", tuple(Column(c, LogicalType("int64")) for c in columns))
        for name, columns in tables
    ))
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog.to_json()))
    return path


@pytest.mark.parametrize(("tables", "expected"), [
    ([("t", ["a\nb"])], r"table 't': column 'a\\nb' holds the control or invisible character U\+000A"),
    ([("t", [" a"])], "column ' a' has leading or trailing spaces"),
    ([("t", ["A", "a"])], "columns 'A' and 'a' differ only by case"),
    ([("a*", ["x"])], r"table 'a\*' holds '\*'"),
    ([("T", ["x"]), ("t", ["x"])], "tables 'T' and 't' differ only by case"),
])
def test_hostile_names_in_a_catalog_snapshot_are_refused(tmp_path, tables, expected):
    path = _snapshot(tmp_path, tables)
    with pytest.raises(UsageError, match=expected) as caught:
        read_catalog_file(path)
    assert caught.value.message.startswith(f"--catalog {path}: ") and "\n" not in caught.value.message


def test_names_engines_can_quote_pass(tmp_path):
    path = _snapshot(tmp_path, [("it's", ['say "hi"', '"q"', "a; b"])])
    assert [c.name for c in read_catalog_file(path).tables[0].columns] == ['say "hi"', '"q"', "a; b"]
