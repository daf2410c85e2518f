"""`fedkit plan` and `fedkit apply` end to end against moto; bad input never reaches AWS."""

from __future__ import annotations

import json

import pytest
import yaml

BQ_ID = "123456789012345678901"
SF = "snowflake=arn:aws:iam::999988887777:user/sf-abc,AB_SFCRole=1_x="
BUCKET = "fedkit-e2e-gold"


def write_config(tmp_path, **changes) -> str:
    data = {
        "gold": {"bucket": BUCKET, "tables": {"fact_sales": {}}},
        "aws": {"account_id": "123456789012", "region": "us-east-1", "role_name": "fedkit-e2e-reader"},
        "bigquery": {"project": "fedkit-e2e"},
        "snowflake": {},
    }
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        data[section][key] = value
    path = tmp_path / "federation.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def _without_targets(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "targets"}


IAM_TARGETS = ["toolkit.iam.role_target:RoleTarget", "toolkit.iam.notification_target:NotificationTarget"]


@pytest.fixture
def moto_cli(aws, cli, monkeypatch):
    """The AWS side on its own (issue 3, item 5): the engine registration targets need Google/Snowflake accounts in
    cloud mode and have their own end-to-end tests."""
    from toolkit.planning import pipeline

    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    monkeypatch.setattr(pipeline, "TARGETS", list(IAM_TARGETS))
    from toolkit.aws import aws_client

    aws_client("s3").create_bucket(Bucket=BUCKET)
    return cli


def test_plan_json_apply_then_plan_is_empty(moto_cli, tmp_path):
    config = write_config(tmp_path)
    plan = moto_cli("plan", "--config", config, "--output", "json")
    assert plan.exit_code == 0, plan.stderr
    data = json.loads(plan.stdout)
    assert list(data) == ["targets", "actions"]  # which clouds (issue 12 item 5), then what changes
    assert [(a["target"], a["action"], a["resource"]) for a in data["actions"]] == [
        ("aws", "create", "iam_role/fedkit-e2e-reader"),
        ("aws", "create", "iam_role_policy/fedkit-e2e-reader/fedkit-gold-read"),
    ]
    assert all(set(a) >= {"target", "action", "resource", "detail"} for a in data["actions"])

    applied = moto_cli("apply", "--yes", "--config", config)
    assert applied.exit_code == 0, applied.stderr
    assert "done create iam_role/fedkit-e2e-reader" in applied.stdout

    again = moto_cli("plan", "--config", config, "--output", "json")
    assert _without_targets(json.loads(again.stdout)) == {"actions": []}
    second = moto_cli("apply", "--yes", "--config", config, "--output", "json")
    assert json.loads(second.stdout)["done"] == []


def test_plan_text_shows_a_diff_of_the_trust_statement(moto_cli, tmp_path):
    config = write_config(tmp_path)
    assert moto_cli("apply", "--yes", "--config", config).exit_code == 0
    result = moto_cli("plan", "--config", config, "--identity", f"bigquery={BQ_ID}")
    assert result.exit_code == 0
    assert "update iam_role/fedkit-e2e-reader/trust_policy" in result.stdout
    assert f'+          "accounts.google.com:sub": "{BQ_ID}"' in result.stdout
    assert "Plan: 1 to update." in result.stdout


def test_plan_warns_before_taking_over_a_foreign_role_and_names_who_else_its_trust_admits(moto_cli, tmp_path):
    from toolkit.aws import aws_client

    ops = "arn:aws:iam::123456789012:role/ops"
    trust = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Ops", "Effect": "Allow", "Principal": {"AWS": ops}, "Action": "sts:AssumeRole"}]}
    aws_client("iam").create_role(RoleName="fedkit-e2e-reader", AssumeRolePolicyDocument=json.dumps(trust))
    config = write_config(tmp_path)

    data = json.loads(moto_cli("plan", "--config", config, "--output", "json").stdout)
    takeover, admits = data["warnings"]
    assert takeover.startswith("role fedkit-e2e-reader exists and was not created by fedkit: apply will manage its "
                               "trust and inline policy fedkit-gold-read")
    assert admits.startswith(f"role fedkit-e2e-reader's trust also admits AWS {ops} (statement Ops")
    assert "read s3://fedkit-e2e-gold/gold/" in admits
    text = moto_cli("plan", "--config", config)
    assert text.stdout.count("warning:") == 2 and "was not created by fedkit" in text.stdout and ops in text.stdout

    assert moto_cli("apply", "--yes", "--config", config).exit_code == 0
    after = json.loads(moto_cli("plan", "--config", config, "--output", "json").stdout)
    # Taken over (tagged managed-by=fedkit) and the foreign statement kept as it was: only the trust warning stays.
    assert after["actions"] == [] and len(after["warnings"]) == 1 and ops in after["warnings"][0]


def test_apply_without_yes_and_without_a_terminal_exits_2(moto_cli, tmp_path):
    result = moto_cli("apply", "--config", write_config(tmp_path))
    assert result.exit_code == 2 and "pass --yes" in result.stderr


def test_apply_confirmation_declined_changes_nothing(moto_cli, tmp_path, monkeypatch):
    import sys

    import typer

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(typer, "confirm", lambda *a, **k: False)
    config = write_config(tmp_path)
    result = moto_cli("apply", "--config", config)
    assert result.exit_code == 1 and "cancelled" in result.stderr
    assert len(json.loads(moto_cli("plan", "--config", config, "--output", "json").stdout)["actions"]) == 2


def test_access_denied_exits_1_naming_step_and_permission_then_rerun_converges(moto_cli, tmp_path, monkeypatch):
    from botocore.awsrequest import AWSResponse

    import toolkit.aws

    real = toolkit.aws.aws_client

    class Raw:
        def stream(self, **_):
            yield (b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: x is not "
                   b"authorized to perform: iam:PutRolePolicy on resource: y</Message></Error></ErrorResponse>")

    def denied(service, *args, **kwargs):
        client = real(service, *args, **kwargs)
        client.meta.events.register("before-send.iam.PutRolePolicy",
                                    lambda **kw: AWSResponse("https://x.invalid", 403, {}, Raw()))
        return client

    config = write_config(tmp_path)
    monkeypatch.setattr(toolkit.aws, "aws_client", denied)
    result = moto_cli("apply", "--yes", "--config", config)
    assert result.exit_code == 1
    assert "failed create iam_role_policy/fedkit-e2e-reader/fedkit-gold-read" in result.stderr
    assert "AccessDenied: missing permission iam:PutRolePolicy" in result.stderr
    assert "steps done before the failure: create iam_role/fedkit-e2e-reader" in result.stderr
    # one error line from fedkit (the moto server thread may log to stderr too; ignore its lines)
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] != []
    monkeypatch.setattr(toolkit.aws, "aws_client", real)
    assert moto_cli("apply", "--yes", "--config", config).exit_code == 0
    assert _without_targets(json.loads(moto_cli("plan", "--config", config, "--output", "json").stdout)) == {"actions": []}


BAD_CONFIG = [
    ({"aws__account_id": "12345"}, "aws.account_id: must be exactly 12 digits"),
    ({"gold__bucket": "Bad_Bucket"}, "gold.bucket: is not a valid S3 bucket name"),
    ({"aws__region": "moon-1"}, "aws.region: is not an AWS region name"),
    ({"gold__prefix": "gold?/"}, "gold.prefix: 'gold?/' contains '?', which IAM reads as a one-character wildcard"),
    ({"aws__export_prefix": "exports/${aws:userid}"}, "aws.export_prefix: 'exports/${aws:userid}/' contains '${'"),
]
BAD_FLAGS = [
    (["--identity", "bigquery=12345"], "is not a Google identity"),
    (["--identity", "snowflake=arn:aws:iam::1:user/x,AB"], "is not an IAM user ARN"),
    (["--identity", "snowflake_channel=arn:aws:sqs:us-east-1:1:q"], "is not an SQS queue ARN"),
    (["--identity", "oracle=1"], "expected one of bigquery="),
    (["--identity", "snowflake_channel=arn:aws:sqs:eu-west-1:999988887777:sf"], "S3 only notifies queues in the bucket"),
]


@pytest.fixture
def no_aws(monkeypatch):
    """Any AWS client creation fails the test: bad input must be refused before a call is made."""
    import toolkit.aws

    calls = []

    def forbidden(service, *a, **k):
        calls.append(service)
        raise AssertionError(f"AWS client {service!r} created for bad input")

    monkeypatch.setattr(toolkit.aws, "aws_client", forbidden)
    return calls


@pytest.mark.parametrize("command", ["plan", "apply"])
@pytest.mark.parametrize("changes, message", BAD_CONFIG,
                         ids=["account", "bucket", "region", "prefix-wildcard", "export-variable"])
def test_bad_config_is_one_line_exit_2_no_aws_call(cli, no_aws, tmp_path, command, changes, message):
    result = cli(command, "--yes" if command == "apply" else "--output", *([] if command == "apply" else ["json"]),
                 "--config", write_config(tmp_path, **changes))
    assert result.exit_code == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and no_aws == [] and result.stdout == ""


@pytest.mark.parametrize("command", ["plan", "apply"])
@pytest.mark.parametrize("flags, message", BAD_FLAGS, ids=["identity", "arn", "queue", "key", "queue-region"])
def test_bad_identity_is_one_line_exit_2_no_aws_call(cli, no_aws, tmp_path, command, flags, message):
    extra = ["--yes"] if command == "apply" else []
    result = cli(command, *extra, *flags, "--config", write_config(tmp_path))
    assert result.exit_code == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and no_aws == []
