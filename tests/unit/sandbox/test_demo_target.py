"""`fedkit demo` writes sample tables only where nobody else's Parquet is: never into a team's gold folder."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from toolkit.errors import UsageError
from toolkit.sandbox.demo_steps import check_demo_target


def _theirs(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"x": [1, 2]}), path)


def test_an_empty_or_missing_folder_and_fedkits_own_sample_are_fine(tmp_path: Path) -> None:
    from toolkit.gold.sample import write_sample

    check_demo_target(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    check_demo_target(tmp_path / "empty")
    write_sample(tmp_path / "sample", orders=20)
    check_demo_target(tmp_path / "sample")


def test_a_folder_with_a_teams_parquet_is_refused_naming_a_file(tmp_path: Path) -> None:
    _theirs(tmp_path / "gold" / "orders" / "part-0.parquet")
    with pytest.raises(UsageError) as caught:
        check_demo_target(tmp_path / "gold")
    message = caught.value.message
    assert "orders/part-0.parquet" in message and "\n" not in message
    assert "fedkit demo" in message


def test_fedkits_sample_next_to_a_teams_table_is_refused(tmp_path: Path) -> None:
    from toolkit.gold.sample import write_sample

    write_sample(tmp_path / "gold", orders=20)
    _theirs(tmp_path / "gold" / "revenue" / "part-0.parquet")
    with pytest.raises(UsageError, match="revenue/part-0.parquet"):
        check_demo_target(tmp_path / "gold")


def test_demo_refuses_before_starting_anything(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _theirs(tmp_path / "data" / "gold" / "orders" / "part-0.parquet")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "federation.yaml").write_text("gold:\n  bucket: team-gold\n  local_dir: data/gold\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / ".fedkit"))
    result = cli("demo")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "orders/part-0.parquet" in result.stderr
    assert not (tmp_path / ".fedkit" / "sandbox.json").exists()
    assert sorted(p.name for p in (tmp_path / "data" / "gold").iterdir()) == ["orders"]
