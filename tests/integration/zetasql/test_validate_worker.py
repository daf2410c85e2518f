"""The Snowflake check in a worker process (toolkit.sql.validate.worker) gives exactly the results of checking it in
this process: same results, same order, same messages, positions and excerpts, on valid and broken SQL."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from toolkit.config import load_config
from toolkit.gold.schema import read_catalog
from toolkit.sql.validate import runner, worker

REPO = Path(__file__).resolve().parents[3]
CORPUS = sorted((REPO / "tests" / "corpus" / "broken").glob("*.sql")) + sorted(
    (REPO / "tests" / "corpus" / "valid").glob("*.sql"))
ENGINES = ("bigquery", "snowflake", "duckdb")


def test_the_worker_changes_nothing(local_gold_project, monkeypatch):
    monkeypatch.setenv("FEDKIT_VALIDATE_CACHE", "0")
    monkeypatch.setenv("FEDKIT_VALIDATE_WORKER", "1")  # whatever the machine's load
    loaded = load_config(local_gold_project("validate_worker", orders=50))
    catalog = read_catalog(loaded, "local")
    started: list[int] = []
    original = worker.WorkerProcess.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        started.append(self.pid)

    monkeypatch.setattr(worker.WorkerProcess, "__init__", spy)

    def run(jobs: int | None) -> tuple[list, list]:
        report = runner.validate(loaded, CORPUS, engines=ENGINES, jobs=jobs, catalog=catalog)
        return [replace(r, seconds=0.0) for r in report.results], [n for n in report.notes if not n.startswith("took")]

    in_worker = run(None)
    assert len(started) == 1  # one worker process for the run
    one_process = run(1)
    assert len(started) == 1  # --jobs 1: everything in this process
    assert in_worker == one_process
    results = in_worker[0]
    assert [r.engine for r in results] == list(ENGINES) * len(CORPUS)
    broken = [r for r in results if r.engine == "snowflake" and not r.ok]
    assert broken and all(r.line for r in broken)  # Snowflake findings keep their positions
    assert {r.status for r in results if r.engine == "snowflake"} == {"ok", "error"}


def test_the_worker_changes_nothing_for_the_aws_stand_ins(tmp_path, monkeypatch):
    """The example config's five KPI engines: Snowflake, Athena and Redshift checked in the worker."""
    from toolkit.gold.sample import write_sample

    monkeypatch.setenv("FEDKIT_VALIDATE_CACHE", "0")
    monkeypatch.setenv("FEDKIT_VALIDATE_WORKER", "1")
    write_sample(tmp_path / "gold", orders=50)
    text = (REPO / "config" / "federation.yaml").read_text(encoding="utf-8")
    config = tmp_path / "federation.yaml"
    config.write_text(text.replace("local_dir: .fedkit/gold", f"local_dir: {tmp_path / 'gold'}"), encoding="utf-8")
    loaded = load_config(config)
    catalog = read_catalog(loaded, "local")
    engines = runner.default_engines(loaded)
    assert {"athena", "redshift", "snowflake"} <= set(engines)

    def run(jobs: int | None) -> list:
        report = runner.validate(loaded, CORPUS, engines=engines, jobs=jobs, catalog=catalog)
        return [replace(r, seconds=0.0) for r in report.results]

    in_worker = run(None)
    assert in_worker == run(1)
    for engine in ("athena", "redshift"):
        assert {r.status for r in in_worker if r.engine == engine} == {"ok", "error"}


def test_when_a_worker_process_is_used(monkeypatch):
    """A worker only pays beside this process: from OFFLOAD_MIN_FILES files (below, its start-up is not hidden), with
    a core free, offline, unless --jobs 1; FEDKIT_VALIDATE_WORKER forces it either way."""
    import pytest

    from toolkit.errors import UsageError

    monkeypatch.delenv("FEDKIT_VALIDATE_WORKER", raising=False)
    enough = worker.OFFLOAD_MIN_FILES
    monkeypatch.setattr(worker, "_free_cores", lambda: 1.5)  # an idle 2-core machine
    assert worker.offload(enough, None, None)
    assert not worker.offload(1, None, None) and not worker.offload(enough - 1, None, None)
    assert not worker.offload(enough, 1, None)  # --jobs 1
    assert not worker.offload(enough, None, object())  # online checks run here
    monkeypatch.setattr(worker, "_free_cores", lambda: 0.1)  # busy but not saturated (load 1.9 of 2): still pays
    assert worker.offload(enough, None, None)
    monkeypatch.setattr(worker, "_free_cores", lambda: -6.0)  # saturated
    assert not worker.offload(enough, None, None)
    monkeypatch.setenv("FEDKIT_VALIDATE_WORKER", "1")
    assert worker.offload(enough, None, None) and not worker.offload(enough, 1, None)
    monkeypatch.setenv("FEDKIT_VALIDATE_WORKER", "0")
    monkeypatch.setattr(worker, "_free_cores", lambda: 1.5)
    assert not worker.offload(enough, None, None)
    monkeypatch.setenv("FEDKIT_VALIDATE_WORKER", "yes")
    with pytest.raises(UsageError, match="FEDKIT_VALIDATE_WORKER='yes'"):
        worker.offload(enough, None, None)
