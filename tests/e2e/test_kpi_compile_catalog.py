"""`fedkit kpi compile --catalog`: compiling in CI, where the gold Parquet is not there, from the committed schema
snapshot `fedkit validate --catalog` already reads (issue 15: a team's CI without the gold layer)."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="module")
def ci_project(local_gold_project):
    """A project whose gold layer is not on this machine (its Parquet removed, no bucket), with a schema snapshot
    taken where the Parquet was."""
    from toolkit.cli import run

    config = local_gold_project("compile-catalog", orders=120)
    snapshot = config.parent / "gold-schema.json"
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert run(["gold", "schema", "-c", str(config), "--output", "json"]) == 0
    snapshot.write_text(out.getvalue())
    with contextlib.redirect_stdout(io.StringIO()) as compiled:
        assert run(["kpi", "compile", "-c", str(config), "--engines", "all", "--output", "json"]) == 0
    (config.parent / "compiled-from-parquet.json").write_text(compiled.getvalue())
    shutil.rmtree(config.parent / "gold")
    config.write_text("\n".join(line for line in config.read_text().splitlines()
                                if not line.strip().startswith(("bucket:", "aws:", "account_id:", "region:"))))
    return config


def test_compile_reads_the_committed_schema_snapshot(cli, ci_project):
    result = cli("kpi", "compile", "-c", str(ci_project), "--catalog", str(ci_project.parent / "gold-schema.json"),
                 "--engines", "bigquery", "--select", "aov_by_channel")
    assert result.exit_code == 0, result.stderr
    assert "`fedkit-demo.gold.fact_sales`" in result.stdout


def test_the_snapshot_compiles_the_suite_exactly_as_the_parquet_did(cli, ci_project):
    result = cli("kpi", "compile", "-c", str(ci_project), "--catalog", str(ci_project.parent / "gold-schema.json"),
                 "--engines", "all", "--output", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (ci_project.parent / "compiled-from-parquet.json").read_text()


def test_without_the_parquet_the_error_points_at_catalog(cli, ci_project):
    result = cli("kpi", "compile", "-c", str(ci_project), "--engines", "bigquery")
    assert result.exit_code == 2 and "--catalog gold-schema.json" in result.stderr


def test_a_catalog_that_is_not_a_snapshot_is_exit_2_naming_it(cli, ci_project, tmp_path):
    bad = tmp_path / "schema.json"
    bad.write_text("[1, 2]")
    result = cli("kpi", "compile", "-c", str(ci_project), "--catalog", str(bad))
    assert result.exit_code == 2 and f"--catalog {bad}" in result.stderr
