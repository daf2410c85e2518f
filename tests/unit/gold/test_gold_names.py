"""Hostile names in the gold layer: what no engine can hold exactly is refused when the gold layer is read (exit 2,
one line naming the file or folder and the name); everything else is kept exactly, for the engines to quote."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from toolkit.config import load_config
from toolkit.errors import EXIT_USAGE, UsageError
from toolkit.gold.schema import read_catalog, read_table

KEPT = ["it's", 'say "hi"', '"q"', "a`b", "a; DROP TABLE x", "a*/b", "a /* b", "a -- b", "a\\b", "${aws:username}",
        "{{ x }}", "Straße_名前", "a=b", "a/b", "select", "a$b"]
REFUSED = {
    "a\nb": "U+000A", "a\rb": "U+000D", "a\tb": "U+0009", "nul\x00": "U+0000", " lead": "leading or trailing",
    "trail ": "leading or trailing", "a\u202eb": "U+202E", "a\u2028b": "U+2028", "": "empty",
}


def _write(path: Path, table: pa.Table) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


@pytest.mark.parametrize("name", KEPT)
def test_column_names_any_engine_can_quote_are_kept_exactly(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path / "t" / "part-0.parquet", pa.table({name: [1], "id": [2]}))
    assert [c.name for c in read_table(str(path.parent), "t").columns] == [name, "id"]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_column_names_no_engine_holds_exactly_are_refused_naming_file_and_column(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path / "t" / "part-0.parquet", pa.table({name: [1], "id": [2]}))
    with pytest.raises(UsageError) as caught:
        read_table(str(path.parent), "t")
    message = caught.value.message
    assert str(path) in message and repr(name) in message and REFUSED[name] in message, message
    assert "\n" not in message and caught.value.exit_code == EXIT_USAGE


@pytest.mark.parametrize("key", ["a\tb", " m", "a%3Db"])
def test_partition_keys_are_column_names_too(tmp_path: Path, key: str) -> None:
    _write(tmp_path / "t" / f"{key}=1" / "part-0.parquet", pa.table({"id": [1]}))
    with pytest.raises(UsageError, match="partition") as caught:
        read_table(str(tmp_path / "t"), "t")
    assert "\n" not in caught.value.message


CONFIG = """version: 1
gold:
  bucket: fedkit-names
  prefix: gold/
  local_dir: {local}
"""


def _project(tmp_path: Path, folders: list[str], extra: str = ""):
    local = tmp_path / "gold"
    for folder in folders:
        _write(local / folder / "part-0.parquet", pa.table({"id": [1]}))
    path = tmp_path / "federation.yaml"
    path.write_text(CONFIG.format(local=local) + extra)
    return load_config(path), local


@pytest.mark.parametrize("folder", ["it's", "a;b", "a b", "Straße", "a=b", "a$b", '"t"', "a`b"])
def test_table_folder_names_engines_can_quote_are_kept(tmp_path: Path, folder: str) -> None:
    loaded, local = _project(tmp_path, [folder])
    table = read_catalog(loaded).tables[0]
    assert (table.name, table.location) == (folder, str(local / folder))


@pytest.mark.parametrize(("folder", "why"), [
    ("a*", "'*'"), ("a?", "'?'"), ("[ab]", "'[]'"), ("a\\b", "'\\\\'"), ("a\nb", "U+000A"), ("trail ", "leading"),
    ("${aws:username}", "policy variable"),
])
def test_table_folder_names_that_would_widen_a_path_or_break_a_line_are_refused(tmp_path: Path, folder: str, why: str):
    loaded, local = _project(tmp_path, ["fine", folder])
    with pytest.raises(UsageError) as caught:
        read_catalog(loaded)
    message = caught.value.message
    assert repr(folder) in message and str(local) in message and why in message, message
    assert "\n" not in message


def test_table_folders_differing_only_by_case_are_refused(tmp_path: Path) -> None:
    loaded, _ = _project(tmp_path, ["Sales", "sales"])
    with pytest.raises(UsageError, match="tables 'Sales' and 'sales' differ only by case"):
        read_catalog(loaded)


@pytest.mark.parametrize("path", ["../other", "a/../../x", "./fact", "a*", "x//y"])
def test_a_declared_table_path_must_stay_a_literal_path_under_the_gold_prefix(tmp_path: Path, path: str) -> None:
    loaded, _ = _project(tmp_path, ["fact", "other"], f"  tables:\n    fact:\n      path: '{path}'\n")
    with pytest.raises(UsageError, match=r"federation\.yaml:\d+: gold\.tables\.fact\.path") as caught:
        read_catalog(loaded)
    assert repr(path) in caught.value.message


def test_a_control_character_in_a_partition_value_folder_is_refused_on_one_line(tmp_path: Path) -> None:
    _write(tmp_path / "t" / "city=New\nYork" / "part-0.parquet", pa.table({"id": [1]}))
    with pytest.raises(UsageError, match="U\\+000A") as caught:
        read_table(str(tmp_path / "t"), "t")
    assert "\n" not in caught.value.message and "'city=New\\nYork/part-0.parquet'" in caught.value.message
