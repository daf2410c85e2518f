"""`fedkit demo` twice in a fresh project: everything is done once, then skipped; the sandbox is stopped after.

The demo runs as its own process (like `make demo`): it points its own environment at the sandbox.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from toolkit.gold.sample import TABLES, sample_args

REPO_ROOT = Path(__file__).resolve().parents[2]
FEDKIT = [sys.executable, "-c", "import sys; sys.argv[0] = 'fedkit'; from toolkit.cli import main; main()"]


@pytest.fixture
def project(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    (tmp_path / "config").mkdir()
    shutil.copy(REPO_ROOT / "config" / "federation.yaml", tmp_path / "config" / "federation.yaml")
    shutil.copytree(REPO_ROOT / "sql", tmp_path / "sql")  # the KPI suite the demo's parity step proves
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_ENDPOINT_URL", "SNOWFLAKE_", "FEDKIT_"))}
    env["FEDKIT_HOME"] = str(tmp_path / "fedkit-home")
    try:
        yield tmp_path, env
    finally:
        subprocess.run([*FEDKIT, "sandbox", "down"], cwd=tmp_path, env=env, capture_output=True, timeout=60)


def _fedkit(project: tuple[Path, dict[str, str]], *args: str) -> subprocess.CompletedProcess[str]:
    cwd, env = project
    return subprocess.run([*FEDKIT, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_demo_twice_then_down(project: tuple[Path, dict[str, str]]) -> None:
    root, _ = project
    first = _fedkit(project, "demo")
    assert first.returncode == 0, first.stderr[-2000:]
    for step in ("Start the sandbox", "Write sample gold data", "Create the gold bucket", "Publish gold to S3"):
        assert f"done    {step}" in first.stdout
    assert "fact_sales" in first.stdout and "order_month" in first.stdout  # the schema table
    assert "Next steps" in first.stdout and "fedkit sandbox down" in first.stdout
    assert "KPI parity" in first.stdout and "0 mismatch, 0 error" in first.stdout
    # The example config registers the gold on BigQuery, Snowflake and Glue (the catalog Athena and Redshift Spectrum
    # read); the row counts go through every engine, the AWS ones through their stand-ins, said so.
    register_line = next(line for line in first.stdout.splitlines() if "Register the tables" in line)
    assert register_line.startswith("done") and "glue" in register_line and "bigquery" in register_line
    assert re.search(rf"glue: {len(TABLES)} tables, \d+ partitions registered in gold_lake", first.stdout)
    counted = next(line for line in first.stdout.splitlines() if "fact_sales rows" in line)
    assert "(all agree)" in counted
    for engine in ("parquet", "bigquery", "snowflake", "athena", "redshift", "duckdb"):
        assert re.search(rf"\b{engine}: [\d,]+", counted), counted
    for engine in ("athena", "redshift"):
        assert f"{engine}: {engine.title()} stand-in" in first.stdout
    matrix_header = next(line for line in first.stdout.splitlines() if "KPI" in line and "bigquery" in line)
    assert "athena *" in matrix_header and "redshift *" in matrix_header  # the stand-ins, marked in the matrix
    assert "* not an independent oracle (see notes)" in first.stdout
    local = root / ".fedkit" / "gold"  # gold.local_dir of the example config
    assert (local / "fact_sales").is_dir() and (local / ".fedkit-sample.json").is_file()

    second = _fedkit(project, "demo", "--output", "json")
    assert second.returncode == 0, second.stderr[-2000:]
    report = json.loads(second.stdout)
    steps = {s["name"]: s for s in report["steps"]}
    assert [s["name"] for s in report["steps"]][:5] == ["sandbox", "gold_sample", "bucket", "publish", "schema"]
    for name in ("sandbox", "gold_sample", "bucket", "publish"):
        assert steps[name]["status"] == "skipped", steps[name]
    published = steps["publish"]["data"]
    assert published["uploaded"] == 0 and published["files"] > 0 and published["skipped"] == published["files"]
    assert steps["gold_sample"]["data"]["args"] == sample_args(3000, 42)
    tables = {t["name"]: t for t in report["catalog"]["tables"]}
    assert tables["fact_sales"]["location"].startswith("s3://fedkit-demo-gold/gold/")
    assert report["env"]["FEDKIT_MODE"] == "sandbox"
    # Registration converged on the first run: the second changes nothing, and every engine counts the same rows.
    assert steps["register"]["status"] == "skipped", steps["register"]
    assert "all agree" in steps["row_counts"]["detail"]
    counts = steps["row_counts"]["data"]["counts"]
    assert set(counts) == {"parquet", "bigquery", "snowflake", "athena", "redshift", "duckdb"}
    assert len(set(counts.values())) == 1 and counts["parquet"] == tables["fact_sales"]["row_count"]
    glue = steps["row_counts"]["data"]["glue"]
    assert glue["database"] == "gold_lake" and glue["tables"] == len(tables)
    assert glue["partitions"] == {"fact_sales": tables["fact_sales"]["files"]}  # one file per order_month here
    notes = steps["row_counts"]["data"]["notes"]
    assert all("NOT an independent oracle" in notes[engine] for engine in ("athena", "redshift"))
    assert "moto" in notes["glue"]  # the sandbox's Glue stores definitions, it reads no S3: said beside the count
    # The demo ends with the parity matrix: every KPI passes on every engine, and the Snowflake oracle is flagged.
    parity = steps["parity"]["data"]
    assert parity["ok"] is True and parity["results"]
    assert {r["status"] for r in parity["results"]} == {"pass"}
    assert {r["engine"] for r in parity["results"]} == {"bigquery", "snowflake", "athena", "redshift", "duckdb"}
    assert any("NOT independent" in note for note in parity["notes"])
    for engine in ("athena", "redshift"):  # the stand-ins are labelled in the matrix notes
        assert any(n.startswith(f"{engine}: ") and n.endswith("[NOT independent]") for n in parity["notes"])
    # A plan after the demo finds nothing to change on any target, Glue's tables and partitions included.
    plan = _fedkit(project, "plan", "--detailed-exitcode", "--output", "json")
    assert plan.returncode == 0, plan.stdout[-2000:] + plan.stderr[-2000:]
    planned = json.loads(plan.stdout)
    assert planned["actions"] == [] and {"aws", "bigquery", "snowflake"} <= set(planned["targets"])

    down = _fedkit(project, "sandbox", "down")
    assert down.returncode == 0
    assert "stopped moto" in down.stdout and "stopped fakesnow" in down.stdout
    assert _fedkit(project, "sandbox", "status").returncode == 1
