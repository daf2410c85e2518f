"""`fedkit gold sample | schema | publish` end to end, through the same edge as the console script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CONFIG = """version: 1
gold:
  bucket: fedkit-e2e-gold
  prefix: gold/
  local_dir: data/gold
  tables:
    fact_sales:
      partition_columns: [order_month]
aws:
  account_id: "123456789012"
  region: us-east-1
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FEDKIT_CONFIG", raising=False)
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / ".fedkit"))  # no sandbox state from the developer's tree
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "federation.yaml").write_text(CONFIG)
    return tmp_path


def test_sample_then_schema_json(cli, project: Path) -> None:
    result = cli("gold", "sample", "--orders", "300", "--seed", "5", "--output", "json")
    assert result.exit_code == 0, result.stderr
    written = json.loads(result.stdout)
    assert Path(written["out"]) == project / "data" / "gold"  # default: the config's local_dir
    assert written["tables"]["fact_sales"] > 300 and written["orders"] == 300

    result = cli("gold", "schema", "--output", "json")
    assert result.exit_code == 0, result.stderr
    catalog = json.loads(result.stdout)
    tables = {t["name"]: t for t in catalog["tables"]}
    assert sorted(tables) == sorted(written["tables"])
    for name, rows in written["tables"].items():
        assert tables[name]["row_count"] == rows
    facts = tables["fact_sales"]
    assert facts["columns"][-1] == {"name": "order_month", "type": {"kind": "date"}, "nullable": False, "partition": True}
    amount = next(c for c in facts["columns"] if c["name"] == "amount")
    assert amount["type"] == {"kind": "decimal", "precision": 12, "scale": 2}
    assert [c["name"] for c in tables["amazon_sales_gold"]["columns"]][:3] == ["Order_ID", "Date", "Status"]


def test_schema_text_shows_engine_types(cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.cli import common

    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal, so no cell wraps
    monkeypatch.setattr(common, "_console", None)
    assert cli("gold", "sample", "--out", "data/gold", "--orders", "50").exit_code == 0
    result = cli("gold", "schema")
    assert result.exit_code == 0, result.stderr
    for text in ("fact_sales", "order_month", "TIMESTAMP_TZ", "NUMERIC(12, 2)", "Order_ID"):
        assert text in result.stdout


def test_bad_orders_is_a_usage_error(cli, project: Path) -> None:
    result = cli("gold", "sample", "--out", "x", "--orders", "-5")
    assert result.exit_code == 2
    assert "--orders" in result.stderr
    assert not (project / "x").exists()


def test_sample_without_config_needs_out(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FEDKIT_CONFIG", raising=False)
    result = cli("gold", "sample")
    assert result.exit_code == 2 and "--out is required" in result.stderr
    assert "Traceback" not in result.stderr


def test_schema_before_sample_says_what_to_run(cli, project: Path) -> None:
    result = cli("gold", "schema")
    assert result.exit_code == 2
    assert "fedkit gold sample" in result.stderr


def test_publish_json_and_idempotence(cli, project: Path, aws: str) -> None:
    from toolkit.gold.publish import ensure_bucket

    assert cli("gold", "sample", "--orders", "100").exit_code == 0
    missing = cli("gold", "publish")
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    ensure_bucket("fedkit-e2e-gold", "us-east-1")
    first = cli("gold", "publish", "--output", "json")
    assert first.exit_code == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["uploaded"] == summary["files"] > 0 and summary["skipped"] == 0
    second = cli("gold", "publish")
    assert second.exit_code == 0
    assert f"0 uploaded (0 bytes), {summary['files']} unchanged" in second.stdout
    remote = cli("gold", "schema", "--source", "s3", "-o", "json")
    assert remote.exit_code == 0, remote.stderr
    assert {t["name"] for t in json.loads(remote.stdout)["tables"]} == set(summary_tables(project))


def summary_tables(project: Path) -> list[str]:
    return [p.name for p in (project / "data" / "gold").iterdir() if p.is_dir()]
