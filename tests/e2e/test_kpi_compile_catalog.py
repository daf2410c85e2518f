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


def test_without_parquet_or_aws_credentials_it_says_so_before_any_s3_request(cli, ci_project, monkeypatch, tmp_path):
    """A CI runner with a gold.bucket in the config but no AWS credentials: the S3 fallback stops at once with the
    credentials message (exit 2, like every missing credential) instead of sending unsigned requests to S3."""
    import time

    import boto3

    config = tmp_path / "federation.yaml"
    config.write_text(ci_project.read_text().replace("gold:\n", "gold:\n  bucket: fedkit-no-credentials\n", 1))
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # never the real AWS, even if a request went out
    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    started = time.monotonic()
    result = cli("kpi", "compile", "-c", str(config), "--engines", "duckdb")
    assert result.exit_code == 2 and "no AWS credentials" in result.stderr, result.stderr
    assert "--catalog gold-schema.json" in result.stderr and "127.0.0.1:9" not in result.stderr
    assert time.monotonic() - started < 5
