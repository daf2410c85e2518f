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
    assert facts["columns"][-1] == {
        "name": "order_month", "type": {"kind": "date"}, "nullable": False, "partition": True,
        "bigquery": "DATE", "snowflake": "DATE",
    }
    amount = next(c for c in facts["columns"] if c["name"] == "amount")
    assert amount["type"] == {"kind": "decimal", "precision": 12, "scale": 2}
    assert (amount["arrow_type"], amount["bigquery"], amount["snowflake"]) == ("decimal128(12, 2)", "NUMERIC(12, 2)", "NUMBER(12, 2)")
    order_ts = next(c for c in facts["columns"] if c["name"] == "order_ts")
    assert (order_ts["arrow_type"], order_ts["bigquery"], order_ts["snowflake"]) == ("timestamp[us, tz=UTC]", "TIMESTAMP", "TIMESTAMP_TZ")
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


def test_unwritable_out_is_one_line_not_a_traceback(cli, project: Path) -> None:
    (project / "a-file").write_text("x")
    result = cli("gold", "sample", "--out", "a-file/gold", "--orders", "5")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: a-file/gold: cannot write the sample there")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_unexpected_failure_is_one_line_and_verbose_shows_the_traceback(
    cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.gold.sample

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(toolkit.gold.sample, "write_sample", broken)
    result = cli("gold", "sample", "--out", "x")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: unexpected RuntimeError: disk on fire (run again with --verbose for the traceback)"
    )
    verbose = cli("--verbose", "gold", "sample", "--out", "x")
    assert verbose.exit_code == 1
    assert "Traceback (most recent call last)" in verbose.stderr and "RuntimeError: disk on fire" in verbose.stderr
    assert cli("gold", "sample", "--out", "x").exit_code == 1, "--verbose must not stick to the next command"


def test_schema_text_fits_80_columns_without_breaking_names(cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.cli import common

    monkeypatch.setenv("COLUMNS", "80")  # what a pipe or a CI log gets
    monkeypatch.setattr(common, "_console", None)
    assert cli("gold", "sample", "--out", "data/gold", "--orders", "50").exit_code == 0
    result = cli("gold", "schema")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0] == "Gold tables in data/gold"
    for name in ("amazon_sales_gold", "payment_method", "TIMESTAMP_TZ", "NUMERIC(12, 2)", "NUMBER(38, 0)", "Order_ID",
                 "decimal128(12, 2)"):
        assert any(name in line for line in lines), f"{name} is broken across lines"
    partition_row = next(line for line in lines if "order_month" in line and "DATE" in line)
    assert "(partition)" in partition_row
    fact_overview = next(line for line in lines if line.startswith("│ fact_sales"))
    assert "order_month" in fact_overview


def test_publish_warns_about_stale_objects_and_delete_removes_them(cli, project: Path, aws: str) -> None:
    from toolkit.gold.publish import ensure_bucket

    ensure_bucket("fedkit-e2e-gold", "us-east-1")
    assert cli("gold", "sample", "--orders", "300").exit_code == 0
    assert cli("gold", "publish").exit_code == 0
    assert cli("gold", "sample", "--orders", "3").exit_code == 0  # fewer months: old partitions become stale
    warned = cli("gold", "publish")
    assert warned.exit_code == 0
    assert "are not in gold.local_dir and engines still read them" in warned.stderr
    assert "fedkit gold publish --delete" in warned.stderr
    deleted = cli("gold", "publish", "--delete", "-o", "json")
    assert deleted.exit_code == 0, deleted.stderr
    summary = json.loads(deleted.stdout)
    assert summary["deleted"] == len(summary["stale_keys"]) > 0
    remote = cli("gold", "schema", "--source", "s3", "-o", "json")
    local = cli("gold", "schema", "-o", "json")
    rows = lambda out: {t["name"]: t["row_count"] for t in json.loads(out)["tables"]}  # noqa: E731
    assert rows(remote.stdout) == rows(local.stdout)


def test_schema_shows_a_decimal_no_engine_holds_as_unsupported(cli, project: Path) -> None:
    """A scale of 40 used to print NUMBER(38, 40) and BIGNUMERIC(45, 40): invalid DDL, shown as if fine. An inspection
    still shows the table (registration is what refuses it), with the reason."""
    import decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    (project / "config" / "federation.yaml").write_text(CONFIG.replace(
        "  tables:\n    fact_sales:\n      partition_columns: [order_month]\n", ""))
    (project / "data" / "gold").mkdir(parents=True)
    table = pa.table({"id": [1], "rate": pa.array([decimal.Decimal("1.5")], pa.decimal256(45, 40))})
    pq.write_table(table, project / "data" / "gold" / "ledger.parquet")
    result = cli("gold", "schema", "--output", "json")
    assert result.exit_code == 0, result.stderr
    id_column, rate = json.loads(result.stdout)["tables"][0]["columns"]
    assert id_column["bigquery"] == "INT64" and "unsupported" not in id_column
    assert rate["bigquery"] is None and rate["snowflake"] is None
    assert rate["unsupported"]["bigquery"] == (
        "table ledger: column 'rate' (Arrow decimal256(45, 40)): no BigQuery type: BIGNUMERIC holds at most "
        "38 integer digits and 38 decimals; write the column with fewer digits")
    assert rate["unsupported"]["snowflake"].startswith("table ledger: column 'rate' (Arrow decimal256(45, 40)): no Snowflake type")
    assert len(result.stderr.strip().splitlines()) == 2 and "registration on that engine will refuse it" in result.stderr
    text = cli("gold", "schema")
    assert text.exit_code == 0 and "unsupported" in text.stdout


def test_half_dead_sandbox_names_the_dead_aws_endpoint(cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """State says the sandbox runs, but moto was killed: not botocore's/Arrow's raw connection error."""
    from toolkit.sandbox.process import free_port
    from toolkit.sandbox.state import write_state

    assert cli("gold", "sample", "--orders", "50").exit_code == 0
    endpoint = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("FEDKIT_MODE", "sandbox")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    write_state({"moto": {"endpoint": endpoint, "pid": 4242, "port": int(endpoint.rsplit(":", 1)[1])}})
    for command in (["gold", "schema", "--source", "s3"], ["gold", "publish"]):
        result = cli(*command)
        assert result.exit_code == 1, command
        assert result.stderr.strip() == (
            f"error: the sandbox's AWS endpoint {endpoint} (moto, pid 4242) does not answer; restart the sandbox "
            "with `fedkit sandbox up` (`fedkit sandbox status` shows what runs)"
        ), command


def test_project_dir_runs_as_if_started_there(cli, project: Path, tmp_path_factory: pytest.TempPathFactory,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """From another folder relative config paths miss (one line naming the fix); `-C DIR` runs from the project."""
    assert cli("gold", "sample", "--orders", "50").exit_code == 0
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    config = str(project / "config" / "federation.yaml")
    lost = cli("--config", config, "gold", "schema")
    assert lost.exit_code == 2
    assert "Traceback" not in lost.stderr and len(lost.stderr.strip().splitlines()) == 1
    assert f"resolve from the working directory {elsewhere}" in lost.stderr
    assert f"run `fedkit -C {project} ...`" in lost.stderr
    found = cli("-C", str(project), "--config", "config/federation.yaml", "gold", "schema", "--output", "json")
    assert found.exit_code == 0, found.stderr
    assert "fact_sales" in {t["name"] for t in json.loads(found.stdout)["tables"]}
    default_config = cli("--project-dir", str(project), "gold", "schema", "--output", "json")
    assert default_config.exit_code == 0, default_config.stderr
    missing = cli("-C", str(elsewhere / "nope"), "gold", "schema")
    assert (missing.exit_code, missing.stderr.strip()) == (2, f"error: --project-dir {elsewhere / 'nope'}: no such folder")


def test_schema_shows_a_flexible_column_name_as_not_readable_on_bigquery(cli, project: Path) -> None:
    """BigQuery external tables take no flexible column names: the column shows no BigQuery type, with the reason, and
    Snowflake's type as usual; a project with a bigquery: section is warned that registration will refuse it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    (project / "config" / "federation.yaml").write_text(CONFIG.replace(
        "  tables:\n    fact_sales:\n      partition_columns: [order_month]\n", ""))
    (project / "data" / "gold" / "Odd Table").mkdir(parents=True)
    table = pa.table({"Customer's Name": ["Ann"], "select": [1]})
    pq.write_table(table, project / "data" / "gold" / "Odd Table" / "part-00000.parquet")
    result = cli("gold", "schema", "--output", "json")
    assert result.exit_code == 0, result.stderr
    name, keyword = json.loads(result.stdout)["tables"][0]["columns"]
    assert (name["bigquery"], name["snowflake"]) == (None, "VARCHAR")
    assert name["unsupported"] == {"bigquery": (
        "table Odd Table: column \"Customer's Name\" holds ' ', \"'\"; BigQuery external tables take no flexible "
        "column names: only letters a-z A-Z, digits and '_', starting with a letter or '_', at most 300 characters, "
        "no reserved prefix (_TABLE_, _FILE_, _PARTITION, …)")}
    assert keyword["bigquery"] == "INT64" and "unsupported" not in keyword
    assert result.stderr.strip() == ""  # no bigquery: section, nothing will refuse it

    config = project / "config" / "federation.yaml"
    config.write_text(config.read_text() + "  role_name: r\nbigquery:\n  project: fedkit-demo\n  location: aws-us-east-1\n"
                      "  dataset: gold\n  connection_id: c\n")
    warned = cli("gold", "schema")
    assert warned.exit_code == 0, warned.stderr
    assert "not readable" in warned.stdout
    lines = warned.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: table Odd Table: column \"Customer's Name\" holds")
    assert lines[0].endswith("(registration on that engine will refuse it)")


def test_schema_shows_the_glue_types_when_the_config_registers_in_glue(cli, project: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """With a glue: section the Hive types Glue registers (lower case, as Glue stores them) are a column of their own;
    without one (every test above) the view is unchanged: Glue is optional, like the engines that read it."""
    from toolkit.cli import common

    (project / "config" / "federation.yaml").write_text(CONFIG + "glue:\n  database: gold_lake\n")
    assert cli("gold", "sample", "--out", "data/gold", "--orders", "50").exit_code == 0
    result = cli("gold", "schema", "--output", "json")
    assert result.exit_code == 0, result.stderr
    facts = next(t for t in json.loads(result.stdout)["tables"] if t["name"] == "fact_sales")
    by_name = {c["name"]: c for c in facts["columns"]}
    assert (by_name["amount"]["glue"], by_name["order_ts"]["glue"], by_name["order_month"]["glue"]) == (
        "decimal(12,2)", "timestamp", "date")
    assert by_name["amount"]["bigquery"] == "NUMERIC(12, 2)"  # the other engines' types stay
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(common, "_console", None)
    text = cli("gold", "schema")
    header = next(line for line in text.stdout.splitlines() if "Arrow type" in line)
    assert [cell.strip() for cell in header.split("┃")[3:6]] == ["BigQuery", "Snowflake", "Glue"], header
    assert "decimal(12,2)" in text.stdout
