"""`fedkit iam generate` and `fedkit iam lint` end to end."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONFIG = str(REPO / "config" / "federation.yaml")


def test_generate_writes_then_check_passes_then_detects_stale(cli, tmp_path):
    out = tmp_path / "iam"
    result = cli("iam", "generate", "--config", CONFIG, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["athena-query-policy.json", "glue-apply-policy.json",
                                                      "gold-read-policy.json", "role.json", "spectrum-read-policy.json",
                                                      "spectrum-role.json", "spectrum-trust-policy.json",
                                                      "trust-policy.json"]
    assert (out / "trust-policy.json").read_text() == (REPO / "iam" / "trust-policy.json").read_text()

    ok = cli("iam", "generate", "--check", "--config", CONFIG, "--out", str(out), "--output", "json")
    assert ok.exit_code == 0 and json.loads(ok.stdout) == {"stale": []}

    (out / "trust-policy.json").write_text("{}\n")
    (out / "role.json").unlink()
    stale = cli("iam", "generate", "--check", "--config", CONFIG, "--out", str(out))
    assert stale.exit_code == 1
    assert "stale IAM documents: role.json, trust-policy.json" in stale.stderr
    assert (out / "trust-policy.json").read_text() == "{}\n"  # --check writes nothing


def test_generate_removes_documents_the_config_no_longer_produces(cli, tmp_path):
    out = tmp_path / "iam"
    out.mkdir()
    (out / "sns-topic-policy.json").write_text("{}\n")
    (out / "notes.md").write_text("kept\n")
    assert cli("iam", "generate", "--check", "--config", CONFIG, "--out", str(out)).exit_code == 1
    result = cli("iam", "generate", "--config", CONFIG, "--out", str(out), "--output", "json")
    assert "sns-topic-policy.json" in json.loads(result.stdout)["written"]
    assert not (out / "sns-topic-policy.json").exists() and (out / "notes.md").exists()


def test_repository_iam_folder_is_current(cli):
    result = cli("iam", "generate", "--check", "--config", CONFIG, "--out", str(REPO / "iam"))
    assert result.exit_code == 0, result.stderr


def test_lint_generated_documents_is_clean(cli):
    result = cli("iam", "lint", "--config", CONFIG, "--output", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["findings"] == [] and data["checked"] == [
        "trust-policy.json", "gold-read-policy.json", "glue-apply-policy.json", "athena-query-policy.json",
        "spectrum-trust-policy.json", "spectrum-read-policy.json"]


def test_lint_committed_files_including_role_json_is_clean(cli):
    files = [str(p) for p in sorted((REPO / "iam").glob("*.json"))]
    result = cli("iam", "lint", *files)
    assert result.exit_code == 0 and "no findings in 8 document(s)" in result.stdout


def test_lint_findings_exit_1_with_a_table(cli, tmp_path):
    bad = tmp_path / "wide.json"
    bad.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Wide", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    result = cli("iam", "lint", str(bad))
    assert result.exit_code == 1
    assert "FEDKIT_RESOURCE_STAR" in result.stdout and "Wide" in result.stdout
    as_json = json.loads(cli("iam", "lint", str(bad), "--output", "json").stdout)
    assert {f["rule"] for f in as_json["findings"]} >= {"FEDKIT_RESOURCE_STAR"}


def test_lint_invalid_json_exits_2_with_one_line(cli, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    result = cli("iam", "lint", str(bad))
    assert result.exit_code == 2
    assert "broken.json:1: invalid JSON" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    missing = cli("iam", "lint", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2 and "file not found" in missing.stderr
