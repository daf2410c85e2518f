"""Bad gold data, end to end: every command that reads the gold layer stops with exit 2 and one line naming the file;
`plan`/`apply` read it from S3 before any change, so nothing is created."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[2]

CONFIG = """version: 1
gold:
  bucket: fedkit-e2e-gold
  prefix: gold/
  local_dir: data/gold
aws:
  account_id: "123456789012"
  region: us-east-1
kpi:
  paths: [sql/kpi]
"""
KPI = """-- name: orders
-- description: orders per table
SELECT COUNT(*) AS n FROM {{ ref('orders') }}
"""


def _zero_columns() -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table({}), sink)
    return sink.getvalue().to_pybytes()


BAD = {
    "zero-byte": lambda good: b"",
    "truncated": lambda good: good[: len(good) // 2],
    "not parquet": lambda good: b"id\n1\n",
    "zero columns": lambda good: _zero_columns(),
}


def _good_bytes() -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table({"id": pa.array([1, 2], pa.int64())}), sink)
    return sink.getvalue().to_pybytes()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FEDKIT_CONFIG", raising=False)
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / ".fedkit"))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "federation.yaml").write_text(CONFIG)
    (tmp_path / "sql" / "kpi").mkdir(parents=True)
    (tmp_path / "sql" / "kpi" / "orders.sql").write_text(KPI)
    folder = tmp_path / "data" / "gold" / "orders"
    folder.mkdir(parents=True)
    (folder / "part-00000.parquet").write_bytes(_good_bytes())
    return tmp_path


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("command", [
    ("gold", "schema"), ("validate",), ("kpi", "compile"), ("kpi", "run", "--engine", "duckdb"),
])
def test_local_readers_name_the_bad_file(cli, project: Path, case: str, command: tuple[str, ...]) -> None:
    bad = project / "data" / "gold" / "orders" / "part-00001.parquet"
    bad.write_bytes(BAD[case](_good_bytes()))
    result = cli(*command)
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "part-00001.parquet" in lines[0], result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr


def test_empty_table_folder_is_named(cli, project: Path) -> None:
    empty = project / "data" / "gold" / "returns"
    empty.mkdir()
    (empty / "_SUCCESS").write_text("")
    result = cli("gold", "schema")
    assert result.exit_code == 2
    assert "table returns: no Parquet files under" in result.stderr and "returns" in result.stderr


def test_incompatible_files_name_both_and_the_column(cli, project: Path) -> None:
    folder = project / "data" / "gold" / "orders"
    pq.write_table(pa.table({"id": pa.array(["x"])}), folder / "part-00002.parquet")
    result = cli("validate")
    assert result.exit_code == 2
    assert "part-00000.parquet" in result.stderr and "part-00002.parquet" in result.stderr
    assert "'id'" in result.stderr


@pytest.mark.parametrize("case", [
    "zero-byte", "truncated", "zero columns", "not parquet", "incompatible", "empty folder",
])
def test_apply_on_the_sandbox_refuses_before_any_change(cli, sandbox_project, case: str) -> None:
    from botocore.exceptions import ClientError

    from toolkit.aws import aws_client

    loaded = sandbox_project(orders=40)
    s3 = aws_client("s3")
    key = "gold/fact_sales/order_month=2024-01-01/part-bad.parquet"
    named = f"s3://fedkit-demo-gold/{key}"
    if case == "empty folder":
        key, named = "gold/returns/_SUCCESS", "table returns: no Parquet files under s3://fedkit-demo-gold/gold/returns"
        body = b""
    elif case == "incompatible":
        body = _good_bytes()  # a file with only `id` next to the sample's fact_sales files
    else:
        body = BAD[case](_good_bytes())
    s3.put_object(Bucket="fedkit-demo-gold", Key=key, Body=body)

    for command in (("plan",), ("apply", "--yes")):
        result = cli(*command, "--config", str(loaded.path))
        assert result.exit_code == 2, result.stdout + result.stderr
        assert named in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    with pytest.raises(ClientError, match="NoSuchEntity"):
        aws_client("iam").get_role(RoleName="fedkit-gold-reader")
    assert "done" not in result.stdout


def test_gold_schema_prints_markup_like_names_literally(cli, project: Path) -> None:
    """Names are data, not rich markup: `[bold]x[/]` as a column or partition key is shown as written."""
    folder = project / "data" / "gold" / "tagged" / "[bold]p=1"
    folder.mkdir(parents=True)
    pq.write_table(pa.table({"[red]c[/red]": [1]}), folder / "part-0.parquet")
    result = cli("gold", "schema")
    assert result.exit_code == 0, result.stderr
    overview = next(line for line in result.stdout.splitlines() if "tagged" in line and "│" in line)
    assert "[bold]p" in overview, result.stdout  # the partition list of the overview
    assert "[red]c[/red]" in result.stdout
