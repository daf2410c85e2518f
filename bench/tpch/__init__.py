"""A TPC-H-like workload for parity: data from `tpchgen-cli` (a dev dependency) and 22 KPIs in `kpi/`.

The KPIs are the 22 TPC-H queries adapted to portable SQL in the project's KPI format (DuckDB source dialect,
`{{ ref('lineitem') }}`): correlated subqueries are written as joins to aggregates, and filters that would keep a
handful of rows of a 2,000-line sample are widened (each file's description says how it differs from TPC-H).
Used by `python -m bench parity` and by tests/integration/parity/test_tpch_suite.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

KPI_DIR = Path(__file__).resolve().parent / "kpi"
TABLES = ("lineitem", "orders", "customer", "nation", "region", "part", "partsupp", "supplier")


def tpchgen() -> str:
    """The tpchgen-cli executable: beside this Python (the venv), else on PATH."""
    beside = Path(sys.executable).parent / "tpchgen-cli"
    found = str(beside) if beside.is_file() else shutil.which("tpchgen-cli")
    if not found:
        raise SystemExit("tpchgen-cli is not installed: pip install -e '.[dev]' (or pip install tpchgen-cli)")
    return found


def generate(scale: float, folder: Path) -> Path:
    """TPC-H tables at `scale` as Parquet under `folder/gold/<table>/` (written once; a `.complete` marker guards
    reuse). tpchgen writes strings as Arrow `string_view`, which fedkit reads like plain strings."""
    gold = folder / "gold"
    marker = folder / ".complete"
    if marker.is_file():
        return gold
    shutil.rmtree(folder, ignore_errors=True)
    raw = folder / "raw"
    subprocess.run([tpchgen(), "parquet", "--scale-factor", str(scale), "--output-dir", str(raw)], check=True,
                   stdout=subprocess.DEVNULL)
    for table in TABLES:
        (gold / table).mkdir(parents=True, exist_ok=True)
        (raw / f"{table}.parquet").rename(gold / table / "part-0.parquet")
    shutil.rmtree(raw, ignore_errors=True)
    marker.write_text(str(scale))
    return gold


def write_config(folder: Path, gold: Path, kpi_paths: list[Path] | None = None) -> Path:
    """A project config over the generated gold layer (all engines, DuckDB source dialect)."""
    paths = ", ".join(str(p.resolve()) for p in (kpi_paths or [KPI_DIR]))
    path = folder / "federation.yaml"
    path.write_text(
        f"version: 1\ngold:\n  bucket: fedkit-tpch\n  prefix: gold/\n  local_dir: {gold.resolve()}\n"
        "aws:\n  account_id: '123456789012'\n  region: us-east-1\n"
        "bigquery:\n  project: fedkit-bench\n  location: aws-us-east-1\n  dataset: tpch\n"
        "snowflake:\n  database: ANALYTICS\n  schema: TPCH\n"
        f"kpi:\n  source_dialect: duckdb\n  paths: [{paths}]\n"
    )
    return path
