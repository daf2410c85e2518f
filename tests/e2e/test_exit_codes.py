"""Exit codes are a contract (README "Exit codes"): 0 ok, 1 a check failed, 2 usage, config or credentials.

Every command of the finished command tree must have a case here: a new command without one fails
`test_every_command_has_a_case`. Cases run in-process, on loopback only, without a sandbox.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
KPI_DIR = REPO / "sql" / "kpi"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> dict[str, str]:
    from toolkit.gold.sample import write_sample

    root = tmp_path_factory.mktemp("exit-codes")
    write_sample(root / "gold", orders=200, seed=3)
    kpis = root / "kpis"
    kpis.mkdir()
    for name in ("aov_by_channel", "revenue_by_brand"):
        (kpis / f"{name}.sql").write_text((KPI_DIR / f"{name}.sql").read_text())
    broken = root / "broken"
    broken.mkdir()
    (broken / "broken.sql").write_text("-- name: broken\nSELECT no_such_column FROM {{ ref('fact_sales') }} ORDER BY 1\n")
    unportable = root / "unportable"
    unportable.mkdir()
    (unportable / "median_amount.sql").write_text(
        "-- name: median_amount\nSELECT channel, approx_count_distinct(order_id) AS m\nFROM {{ ref('fact_sales') }}\n"
        "GROUP BY channel\nORDER BY channel\n")
    (root / "empty").mkdir()
    config = root / "federation.yaml"
    config.write_text(
        f"gold:\n  bucket: fedkit-exit-codes\n  local_dir: {root / 'gold'}\n"
        "  tables:\n    fact_sales:\n      partition_columns: [order_month]\n"
        "aws:\n  account_id: '123456789012'\n  region: us-east-1\n"
        "bigquery:\n  project: fedkit-demo\n  location: aws-us-east-1\n  dataset: gold\n"
        "snowflake:\n  database: ANALYTICS\n  schema: GOLD\n"
        f"kpi:\n  source_dialect: duckdb\n  paths: [{kpis}]\n")
    return {"CONFIG": str(config), "MISSING": str(root / "nope.yaml"), "BROKEN": str(broken),
            "UNPORTABLE": str(unportable), "EMPTY": str(root / "empty"), "OUT": str(root / "out"),
            "HTML": str(root / "report.html")}


# command -> [(arguments, expected exit code)]; {NAME} is filled from the project fixture.
CASES: dict[str, list[tuple[list[str], int]]] = {
    "sandbox up": [(["--account-id", "12"], 2)],
    "sandbox status": [([], 1), (["--config", "{MISSING}"], 2)],  # no sandbox here: the status check fails
    "sandbox down": [(["--timeout", "-1"], 2), (["--config", "{MISSING}"], 2), ([], 0)],
    "sandbox env": [(["--config", "{MISSING}"], 2), (["--config", "{CONFIG}"], 1)],  # no sandbox to point at
    "gold schema": [(["--config", "{MISSING}"], 2), (["--config", "{CONFIG}"], 0)],
    "gold sample": [(["--orders", "0"], 2), (["--config", "{CONFIG}", "--out", "{OUT}/gold", "--orders", "20"], 0)],
    "gold publish": [(["--config", "{MISSING}"], 2)],
    "iam generate": [(["--config", "{MISSING}"], 2), (["--config", "{CONFIG}", "--check", "--out", "{EMPTY}"], 1)],
    "iam lint": [(["{MISSING}"], 2)],
    "kpi compile": [(["--config", "{CONFIG}", "--engines", "nope"], 2), (["--config", "{CONFIG}"], 0),
                    (["--config", "{CONFIG}", "{UNPORTABLE}", "--engines", "bigquery"], 1)],
    "kpi run": [(["--config", "{CONFIG}", "--output", "csv"], 2), (["--config", "{MISSING}"], 2), (["--config", "{CONFIG}", "{BROKEN}"], 1),
                (["--config", "{CONFIG}", "--select", "aov_by_channel", "-o", "csv"], 0)],
    "kpi parity": [(["--config", "{CONFIG}", "--engines", "nope"], 2), (["--config", "{CONFIG}", "--select", "x*"], 2)],
    "kpi report": [(["--config", "{CONFIG}"], 2)],  # --html is required
    "plan": [(["--config", "{CONFIG}", "--clouds", "gcp"], 2), (["--config", "{MISSING}"], 2)],
    "apply": [(["--config", "{CONFIG}", "--clouds", "gcp"], 2), (["--config", "{MISSING}", "--yes"], 2)],
    "validate": [(["--config", "{CONFIG}", "--engines", "nope"], 2), (["--config", "{CONFIG}", "{EMPTY}"], 2),
                 (["--config", "{CONFIG}", "{BROKEN}", "--engines", "duckdb"], 1),
                 (["--config", "{CONFIG}", "--engines", "duckdb", "--select", "aov_by_channel"], 0)],
    "demo": [(["--orders", "0"], 2)],
    "init": [(["{OUT}/init", "--from-gold", "{MISSING}"], 2), (["{OUT}/init-ok", "--aws-account-id", "12"], 2),
             (["{OUT}/init-ok"], 0), (["{OUT}/init-ok"], 2)],  # the second init would overwrite: refused
    "config schema": [([], 0), (["--nope"], 2)],
}


def _leaves() -> list[str]:
    import toolkit.cli

    def walk(command, path):
        children = getattr(command, "commands", None) or {}
        if not children and path:
            yield " ".join(path)
        for name, child in children.items():
            yield from walk(child, path + [name])

    return sorted(walk(toolkit.cli.command(), []))


def test_every_command_has_a_case():
    assert sorted(CASES) == _leaves()


@pytest.mark.parametrize("command, args, code",
                         [(c, a, code) for c, cases in CASES.items() for a, code in cases],
                         ids=[f"{c} {' '.join(a)} -> {code}" for c, cases in CASES.items() for a, code in cases])
def test_exit_code(cli, project, command, args, code, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    filled = [arg.format(**project) for arg in args]
    result = cli(*command.split(), *filled)
    assert result.exit_code == code, (result.stdout[-2000:], result.stderr[-2000:])
    if code == 2:
        assert result.stderr.strip(), "a usage error says what is wrong"


def _no_credentials(monkeypatch, tmp_path) -> None:
    """No AWS, Google or Snowflake credentials, no metadata servers: nothing but loopback is ever reached."""
    import boto3
    import google.auth._default as google_default

    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # boto3.client() keeps the credentials an earlier test found
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                "GOOGLE_APPLICATION_CREDENTIALS", "SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_HOST"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # never the real AWS, even if a request went out
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))
    monkeypatch.setenv("SNOWFLAKE_HOME", str(tmp_path / "snowflake"))
    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    monkeypatch.setattr(google_default, "_get_gce_credentials", lambda *a, **k: (None, None))


def test_missing_aws_and_missing_google_credentials_exit_alike(cli, project, monkeypatch, tmp_path):
    _no_credentials(monkeypatch, tmp_path)
    aws = cli("plan", "--config", project["CONFIG"], "--clouds", "aws")
    google = cli("kpi", "run", "--config", project["CONFIG"], "--engines", "bigquery")
    snowflake = cli("kpi", "run", "--config", project["CONFIG"], "--engines", "snowflake")
    assert (aws.exit_code, google.exit_code, snowflake.exit_code) == (2, 2, 2), (aws, google, snowflake)
    assert "no AWS credentials" in aws.stderr and "no Google credentials" in google.stderr


def test_validate_online_without_any_credentials_is_2_unless_optional(cli, project, monkeypatch, tmp_path):
    _no_credentials(monkeypatch, tmp_path)
    args = ["validate", "--config", project["CONFIG"], "--select", "aov_by_channel", "--engines", "bigquery,snowflake"]
    refused = cli(*args, "--online")
    assert refused.exit_code == 2 and "--online-optional" in refused.stderr
    optional = cli(*args, "--online", "--online-optional")
    assert optional.exit_code == 0, optional.stderr
    assert "BigQuery dry run skipped" in optional.stdout + optional.stderr


def _json_commands() -> list[str]:
    import toolkit.cli

    def walk(command, path):
        children = getattr(command, "commands", None) or {}
        if not children and path:
            output = [p for p in command.params if "--output" in p.opts]
            if output and "json" in [str(getattr(c, "value", c)) for c in output[0].type_descriptor.choices or ()]:
                yield " ".join(path)
        for name, child in children.items():
            yield from walk(child, path + [name])

    return sorted(walk(toolkit.cli.command(), []))


@pytest.mark.parametrize("command", _json_commands())
def test_errors_are_json_on_stderr_in_json_mode(cli, project, command, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    args = next(a for a, c in CASES[command] if c == 2 and not {"--output", "-o"} & set(a))
    result = cli(*command.split(), *[a.format(**project) for a in args], "--output", "json")
    assert result.exit_code == 2
    error = json.loads(result.stderr)["error"]  # one JSON object: no warning line, no red text around it
    assert set(error) == {"message", "file", "line"} and error["message"]


def test_a_json_error_names_the_file_and_line(cli, tmp_path):
    config = tmp_path / "federation.yaml"
    config.write_text("gold:\n  bucket: ok-bucket\nbigquery:\n  project: my-project\n  location: aws-nowhere-1\n")
    result = cli("plan", "--config", str(config), "-o", "json")
    error = json.loads(result.stderr)["error"]
    assert result.exit_code == 2 and error["file"] == str(config) and error["line"] == 5, error
