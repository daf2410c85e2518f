"""`fedkit kpi compile` and `fedkit kpi run` end to end (in-process CLI, a small sample gold folder, DuckDB)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
KPI_DIR = REPO / "sql" / "kpi"
N_KPIS = len(list(KPI_DIR.glob("*.sql")))


def _config(folder: Path, gold: Path, kpi_paths: list[Path]) -> Path:
    path = folder / "federation.yaml"
    paths = ", ".join(str(p) for p in kpi_paths)
    path.write_text(
        f"version: 1\ngold:\n  bucket: fedkit-e2e-kpi\n  local_dir: {gold}\n"
        "  tables:\n    fact_sales:\n      partition_columns: [order_month]\n"
        "aws:\n  account_id: '123456789012'\n  region: us-east-1\n"
        "bigquery:\n  project: fedkit-demo\n  location: aws-us-east-1\n  dataset: gold\n"
        "snowflake:\n  database: ANALYTICS\n  schema: GOLD\n"
        f"kpi:\n  source_dialect: duckdb\n  paths: [{paths}]\n"
    )
    return path


@pytest.fixture(scope="module")
def gold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from toolkit.gold.sample import write_sample

    out = tmp_path_factory.mktemp("kpi-e2e") / "gold"
    write_sample(out, orders=500, seed=11)
    return out


@pytest.fixture
def config(tmp_path: Path, gold: Path) -> str:
    return str(_config(tmp_path, gold, [KPI_DIR]))


def test_help_has_examples(cli):
    for args in (("kpi", "--help"), ("kpi", "compile", "--help"), ("kpi", "run", "--help")):
        result = cli(*args)
        assert result.exit_code == 0
    assert "Example:" in cli("kpi", "compile", "--help").stdout
    assert "fedkit kpi run --engines duckdb" in cli("kpi", "run", "--help").stdout


def test_compile_one_kpi_for_bigquery(cli, config):
    result = cli("kpi", "compile", "-c", config, "--engine", "bigquery", "--kpi", "monthly_revenue_growth")
    assert result.exit_code == 0, result.stderr
    assert "FROM `fedkit-demo.gold.fact_sales`" in result.stdout
    assert "DATE_TRUNC(order_date, MONTH)" in result.stdout
    assert result.stdout.startswith("-- monthly_revenue_growth: compiled by fedkit for bigquery")


def test_compile_all_to_files(cli, config, tmp_path):
    out = tmp_path / "compiled"
    result = cli("kpi", "compile", "-c", config, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    for engine in ("bigquery", "snowflake", "duckdb"):
        assert len(list((out / engine).glob("*.sql"))) == N_KPIS
    snowflake = (out / "snowflake" / "amazon_revenue_by_category.sql").read_text()
    assert "FROM ANALYTICS.GOLD.AMAZON_SALES_GOLD" in snowflake and '"Order_ID"' not in snowflake
    again = tmp_path / "again"
    assert cli("kpi", "compile", "-c", config, "--out", str(again)).exit_code == 0
    assert all((again / p.relative_to(out)).read_text() == p.read_text() for p in out.rglob("*.sql"))  # stable


def test_compile_json(cli, config):
    result = cli("kpi", "compile", "-c", config, "-e", "snowflake,duckdb", "-k", "aov_by_channel", "-o", "json")
    assert result.exit_code == 0, result.stderr
    queries = json.loads(result.stdout)["queries"]
    assert [(q["kpi"], q["engine"]) for q in queries] == [("aov_by_channel", "snowflake"), ("aov_by_channel", "duckdb")]
    assert all(isinstance(q["notes"], list) and q["sql"].startswith("SELECT") for q in queries)


def test_compile_usage_errors(cli, config):
    bad_engine = cli("kpi", "compile", "-c", config, "--engine", "oracle")
    assert bad_engine.exit_code == 2 and "oracle" in bad_engine.stderr
    bad_kpi = cli("kpi", "compile", "-c", config, "--kpi", "nope")
    assert bad_kpi.exit_code == 2 and "--select nope: no KPI named or matching it" in bad_kpi.stderr


def test_unportable_kpi_names_file_line_and_alternative(cli, tmp_path, gold):
    kpis = tmp_path / "kpis"
    kpis.mkdir()
    (kpis / "last_part.sql").write_text(
        "-- name: last_part\nSELECT\n  channel,\n  MAX(split_part(order_id, '-', -1)) AS m\n"
        "FROM {{ ref('fact_sales') }}\nGROUP BY channel\nORDER BY channel\n"
    )
    config = str(_config(tmp_path, gold, [kpis]))
    result = cli("kpi", "compile", "-c", config, "--engine", "bigquery")
    assert result.exit_code == 1  # a refusal is a failed check of that KPI, not a usage error of the command
    assert "last_part.sql:4:" in result.stderr and "literal part number" in result.stderr and "use instead:" in result.stderr
    assert "Traceback" not in result.stderr
    assert cli("kpi", "compile", "-c", config, "--engine", "snowflake").exit_code == 0


def test_a_refusal_is_per_kpi_and_the_others_are_written(cli, tmp_path, gold):
    kpis = tmp_path / "kpis"
    kpis.mkdir()
    (kpis / "lines.sql").write_text("-- name: lines\nSELECT COUNT(*) AS n FROM {{ ref('fact_sales') }}\nORDER BY n\n")
    (kpis / "approx.sql").write_text(
        "-- name: approx\nSELECT\n  approx_count_distinct(order_id) AS n\nFROM {{ ref('fact_sales') }}\nORDER BY n\n")
    (kpis / "weekday.sql").write_text(
        "-- name: weekday\nSELECT strftime(order_date, '%A') AS d, COUNT(*) AS n\nFROM {{ ref('fact_sales') }}\n"
        "GROUP BY d\nORDER BY d\n")
    config = str(_config(tmp_path, gold, [kpis]))
    out = tmp_path / "compiled"
    result = cli("kpi", "compile", "-c", config, "--engine", "bigquery,snowflake,duckdb", "--out", str(out))
    assert result.exit_code == 1, result.stderr
    # Every compilation that works is written, refused ones are not (no stale half-result).
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.sql")) == [
        "bigquery/lines.sql", "duckdb/lines.sql", "duckdb/weekday.sql", "snowflake/lines.sql"]
    refusals = [line for line in result.stderr.splitlines() if line.startswith("refused: ")]
    # approx on 3 engines, weekday (%A) on the 2 clouds: one self-contained line each, naming file, line and engine.
    assert len(refusals) == 5, result.stderr
    assert sum("approx.sql:3: " in line and "use instead: COUNT(DISTINCT" in line for line in refusals) == 3
    assert sum("weekday.sql:2: " in line and "%A" in line for line in refusals) == 2
    for line in refusals:
        assert "DESIGN" not in line and "§" not in line and "sql/kpi/" not in line
    assert "5 of 9" in result.stderr and "Traceback" not in result.stderr
    data = json.loads(cli("kpi", "compile", "-c", config, "--engine", "duckdb", "-o", "json").stdout)
    assert [q["kpi"] for q in data["queries"]] == ["lines", "weekday"]
    assert [(r["kpi"], r["engine"]) for r in data["refused"]] == [("approx", "duckdb")]


def test_unknown_ref_is_a_usage_error(cli, tmp_path, gold):
    kpis = tmp_path / "kpis"
    kpis.mkdir()
    (kpis / "bad.sql").write_text("-- name: bad\n\nSELECT 1 AS x\nFROM {{ ref('fact_salez') }}\nORDER BY x\n")
    result = cli("kpi", "compile", "-c", str(_config(tmp_path, gold, [kpis])))
    assert result.exit_code == 2 and "bad.sql:4: ref('fact_salez'): unknown gold table" in result.stderr


def test_kpi_file_that_is_not_utf8_is_one_line_with_its_line(cli, tmp_path, gold):
    kpis = tmp_path / "kpis"
    kpis.mkdir()
    (kpis / "latin1.sql").write_bytes(b"-- name: latin1\nSELECT 1 AS x\n-- d\xe9j\xe0 vu\nFROM {{ ref('fact_sales') }}\n")
    result = cli("kpi", "compile", "-c", str(_config(tmp_path, gold, [kpis])))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == f"error: {kpis / 'latin1.sql'}:3: not UTF-8 text (byte 0xe9 at column 5); save the file as UTF-8"


def test_run_suite_on_duckdb_json(cli, config):
    result = cli("kpi", "run", "-c", config, "--engine", "duckdb", "--output", "json")
    assert result.exit_code == 0, result.stderr
    results = json.loads(result.stdout)["results"]
    assert len(results) == N_KPIS
    assert all(r["status"] == "ok" and r["engine"] == "duckdb" and r["seconds"] >= 0 for r in results)
    by_name = {r["kpi"]: r for r in results}
    gender = by_name["revenue_by_gender"]
    assert gender["columns"] == ["gender", "revenue", "customers"] and gender["rows"][-1][0] is None


def test_run_text_and_csv(cli, config):
    text = cli("kpi", "run", "-c", config, "-k", "aov_by_channel", "-k", "repeat_customer_rate")
    assert text.exit_code == 0, text.stderr
    assert "aov_by_channel (duckdb" in text.stdout and "KPI timings" in text.stdout
    csv_out = cli("kpi", "run", "-c", config, "-k", "aov_by_channel", "--output", "csv")
    assert csv_out.exit_code == 0
    rows = list(csv.reader(io.StringIO(csv_out.stdout)))  # plain CSV: the header row, then rows; no comments
    assert rows[0] == ["channel", "orders", "revenue", "average_order_value"] and len(rows) > 1
    assert all(len(r) == 4 for r in rows) and not any(r[0].startswith("#") for r in rows)


def test_csv_is_one_kpi_on_stdout_or_one_file_per_kpi(cli, config, tmp_path):
    several = cli("kpi", "run", "-c", config, "--select", "revenue_by_*", "--output", "csv")
    assert several.exit_code == 2 and several.stdout == ""
    assert "--output csv:" in several.stderr and "--out DIR" in several.stderr and "--select" in several.stderr
    out = tmp_path / "csv"
    written = cli("kpi", "run", "-c", config, "--select", "revenue_by_*,aov_by_channel", "--engines", "duckdb",
                  "--output", "csv", "--out", str(out))
    assert written.exit_code == 0, written.stderr
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.csv"))
    expected = sorted(f"duckdb/{p.stem}.csv" for p in KPI_DIR.glob("*.sql")
                      if p.stem.startswith("revenue_by_") or p.stem == "aov_by_channel")
    assert files == expected and written.stdout == ""
    as_json = json.loads(cli("kpi", "run", "-c", config, "--select", "revenue_by_gender", "-o", "json").stdout,
                         parse_float=Decimal)
    (result,) = as_json["results"]
    with (out / "duckdb" / "revenue_by_gender.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == result["columns"]
    # the same rows: numbers as numbers in JSON, NULL as an empty CSV field and null in JSON
    def cell(text):
        return None if text == "" else text if not text[:1].isdigit() else Decimal(text)

    assert [[cell(c) for c in r] for r in rows[1:]] == result["rows"]
    assert any(v is None for row in result["rows"] for v in row)
    assert all(isinstance(row[1], Decimal) and isinstance(row[2], int) for row in result["rows"])
    wrong = cli("kpi", "run", "-c", config, "--out", str(out))
    assert wrong.exit_code == 2 and "add --output csv" in wrong.stderr


def test_run_reports_a_failing_kpi_with_exit_1(cli, tmp_path, gold):
    kpis = tmp_path / "kpis"
    kpis.mkdir()
    (kpis / "broken.sql").write_text("-- name: broken\nSELECT no_such_column FROM {{ ref('fact_sales') }} ORDER BY 1\n")
    (kpis / "fine.sql").write_text("-- name: fine\nSELECT COUNT(*) AS n FROM {{ ref('fact_sales') }} ORDER BY n\n")
    result = cli("kpi", "run", "-c", str(_config(tmp_path, gold, [kpis])), "-o", "json")
    assert result.exit_code == 1
    statuses = {r["kpi"]: r["status"] for r in json.loads(result.stdout)["results"]}
    assert statuses == {"broken": "error", "fine": "ok"}
    assert "1 of 2 KPI(s) failed on duckdb: broken" in result.stderr


def test_run_without_google_credentials_stops_once_with_exit_2(cli, config, tmp_path, monkeypatch):
    import google.auth._default as google_default

    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))
    monkeypatch.setattr(google_default, "_get_gce_credentials", lambda *a, **k: (None, None))  # no metadata server
    result = cli("kpi", "run", "-c", config, "--engine", "bigquery")
    assert result.exit_code == 2
    assert result.stderr.count("no Google credentials") == 1, result.stderr
    assert "gcloud auth application-default login" in result.stderr


def test_compile_and_parity_default_to_the_configured_engines(cli, tmp_path, gold):
    """A Snowflake-only project: `kpi compile` (all) and `kpi parity` must not demand a bigquery: section."""
    path = _config(tmp_path, gold, [KPI_DIR / "revenue_by_country.sql"])
    text = path.read_text()
    start = text.index("bigquery:")
    path.write_text(text[:start] + text[text.index("snowflake:"):])
    compiled = cli("kpi", "compile", "--config", str(path), "--output", "json")
    assert compiled.exit_code == 0, compiled.stderr
    assert {q["engine"] for q in json.loads(compiled.stdout)["queries"]} == {"snowflake", "duckdb"}
    parity = cli("kpi", "parity", "--config", str(path), "--sample-rows", "200", "--output", "json")
    assert parity.exit_code == 0, parity.stderr
    assert {r["engine"] for r in json.loads(parity.stdout)["results"]} == {"snowflake", "duckdb"}
    named = cli("kpi", "compile", "--config", str(path), "--engine", "bigquery")
    assert named.exit_code == 2
    assert "bigquery: section is required" in named.stderr


def test_compile_and_run_take_kpi_files_like_parity_and_validate(cli, config, tmp_path):
    one = tmp_path / "lines_by_channel.sql"
    one.write_text("-- name: lines_by_channel\nSELECT channel, COUNT(*) AS lines\n"
                   "FROM {{ ref('fact_sales') }} GROUP BY channel ORDER BY channel\n")
    compiled = cli("kpi", "compile", "-c", config, str(one), "--engine", "snowflake", "--output", "json")
    assert compiled.exit_code == 0, compiled.stderr
    assert [q["kpi"] for q in json.loads(compiled.stdout)["queries"]] == ["lines_by_channel"]
    ran = cli("kpi", "run", "-c", config, str(one), "--engine", "duckdb", "--output", "json")
    assert ran.exit_code == 0, ran.stderr
    (result,) = json.loads(ran.stdout)["results"]
    assert result["kpi"] == "lines_by_channel" and len(result["rows"]) == 4
    missing = cli("kpi", "compile", "-c", config, str(tmp_path / "nope.sql"))
    assert missing.exit_code == 2 and "nope.sql" in missing.stderr


def test_an_empty_engine_list_is_refused_by_compile_and_parity(cli, config):
    for command in (("kpi", "compile", "--engine", " "), ("kpi", "parity", "--engines", "")):
        result = cli(*command[:2], "-c", config, *command[2:])
        assert result.exit_code == 2, command
        assert "names no engine" in result.stderr, command


class _PartialEngine:
    """Like the BigQuery sandbox when the table holds more rows than its evaluator's limit: answers from part."""

    def __init__(self, inner):
        self._inner = inner
        self.name = inner.name
        self.last_note: str | None = None
        self.last_partial: tuple[str, ...] = ()

    def run(self, sql: str):
        self.last_partial = ("gold.fact_sales: 5,000 of 500,000 rows",)
        self.last_note = "evaluated a sample (gold.fact_sales: 5,000 of 500,000 rows)"
        return self._inner.run(sql)

    def close(self) -> None:
        self._inner.close()


def test_run_on_part_of_the_rows_exits_1_unless_a_sample_was_asked_for(cli, config, monkeypatch):
    """Issue 14.1: totals from 1 % of the rows are not the totals; `kpi run` fails unless `--sample` says the user
    wants a sample, and the JSON marks every partial result."""
    from toolkit.engines import registry

    real = registry.get_engine
    monkeypatch.setattr(registry, "get_engine", lambda name, loaded, mode=None: _PartialEngine(real(name, loaded, mode)))
    result = cli("kpi", "run", "-c", config, "--kpi", "aov_by_channel", "--output", "json")
    assert result.exit_code == 1, result.stderr
    item = json.loads(result.stdout)["results"][0]
    assert item["partial"] is True and "5,000 of 500,000" in item["note"]
    assert "part of the rows" in result.stderr and "--sample" in result.stderr
    sampled = cli("kpi", "run", "-c", config, "--kpi", "aov_by_channel", "--sample")
    assert sampled.exit_code == 0, sampled.stderr
    assert "evaluated a sample" in sampled.stdout
    monkeypatch.setattr(registry, "get_engine", real)  # DuckDB reads every row
    whole = cli("kpi", "run", "-c", config, "--kpi", "aov_by_channel", "--output", "json")
    assert whole.exit_code == 0 and json.loads(whole.stdout)["results"][0]["partial"] is False
