"""Config errors: one line naming file, line, field and the bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.config import load_config
from toolkit.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]

GOOD_AWS = 'aws:\n  account_id: "123456789012"\n  region: us-east-1\n'

BAD_CONFIGS = [
    ("gold:\n  bucket: Bad_Bucket\n", r"cfg.yaml:2: gold.bucket: is not a valid S3 bucket name .*'Bad_Bucket'"),
    ("gold:\n  bucket: ab\n", r":2: gold.bucket: is not a valid S3 bucket name"),
    ("gold:\n  bucket: ok-bucket\n  prefix: /\n", r":3: gold.prefix: must be a non-empty key prefix"),
    ("gold:\n  bucket: ok-bucket\naws:\n  account_id: 1234\n  region: us-east-1\n",
     r":4: aws.account_id: must be exactly 12 digits .*\(got 1234\)"),
    ("gold:\n  bucket: ok-bucket\naws:\n  account_id: '123456789012'\n  region: mars-1\n",
     r":5: aws.region: is not an AWS region name .*'mars-1'"),
    ("gold:\n  bucket: ok-bucket\n" + GOOD_AWS + "  role_name: 'bad role!'\n", r":6: aws.role_name: is not a valid IAM role name"),
    ("gold:\n  bucket: ok-bucket\nbigquery:\n  project: my-project\n  location: us\n",
     r":5: bigquery.location: is not a BigQuery Omni AWS location; use one of aws-us-east-1"),
    ("gold:\n  bucket: ok-bucket\n" + GOOD_AWS + "bigquery:\n  project: my-project\n  location: aws-eu-west-1\n",
     r":8: bigquery.location: aws-eu-west-1 reads buckets in eu-west-1, but aws.region is us-east-1"),
    ("gold:\n  bucket: ok-bucket\nbigquery:\n  project: X\n", r":4: bigquery.project: is not a Google Cloud project id .*'X'"),
    ("gold:\n  bucket: ok-bucket\nbigquery:\n  project: my-project\n  max_staleness_minutes: 5\n",
     r":5: bigquery.max_staleness_minutes: must be 0 \(off\) or between 30 minutes and 7 days"),
    ("gold:\n  bucket: ok-bucket\nsnowflake:\n  database: 'my db'\n", r":4: snowflake.database: is not a Snowflake identifier"),
    ("gold:\n  bucket: my.-bucket\n", r":2: gold.bucket: is not a valid S3 bucket name \(a '.' next to a '-'"),
    ("gold:\n  bucket: xn--gold\n", r":2: gold.bucket: is not a valid S3 bucket name \('xn--' is reserved by S3\)"),
    ("gold:\n  bucket: gold-s3alias\n", r":2: gold.bucket: .*'-s3alias' is reserved by S3"),
    ("gold:\n  bucket: ok-bucket\n" + GOOD_AWS + "  notifications:\n    email: data@example.com\n",
     r":7: aws.notifications.email: needs aws.notifications.sns_topic"),
    ("gold:\n  bucket: ok-bucket\n  colour: red\n",
     r":3: gold.colour: is not a known field \(known here: bucket, prefix, local_dir, tables, relationships\)$"),
    ("kpi: {}\n", r":1: gold: is required$"),
    ("gold:\n  bucket: ok-bucket\n  relationships:\n    - {from: lineitem, to: orders.o_orderkey}\n",
     r":4: gold.relationships.0.from: must be table.column \(for example lineitem.l_orderkey\) \(got 'lineitem'\)$"),
    ("gold:\n  bucket: ok-bucket\n  relationships:\n    - {from: lineitem.l_orderkey}\n",
     r":4: gold.relationships.0.to: is required$"),
    ("gold: [\n", r"cfg.yaml:2: invalid YAML"),
    ("- just\n- a list\n", r":1: the config must be a mapping"),
    ("gold:\n  bucket: ok-bucket\nkpi:\n  source_dialect: oracle\n", r":4: kpi.source_dialect: must be 'duckdb', 'bigquery' or 'snowflake'"),
    ("gold:\n  bucket: ok-bucket\nidentities:\n  bigquery: '12'\n", r":4: identities.bigquery: is not a Google identity"),
    ("gold:\n  bucket: ok-bucket\nidentities:\n  snowflake:\n    iam_user_arn: arn:aws:iam::1:user/x\n    external_id: ABC_123\n",
     r":5: identities.snowflake.iam_user_arn: is not an IAM user ARN"),
    # the same SQS ARN check as --identity snowflake_channel, and S3 only notifies queues in the bucket's region
    ("gold:\n  bucket: ok-bucket\nidentities:\n  snowflake_channel: arn:aws:sns:us-east-1:999988887777:t\n",
     r":4: identities.snowflake_channel: is not an SQS queue ARN"),
    ("gold:\n  bucket: ok-bucket\n" + GOOD_AWS + "identities:\n  snowflake_channel: arn:aws:sqs:eu-west-1:999988887777:q\n",
     r":7: identities.snowflake_channel: arn:aws:sqs:eu-west-1:999988887777:q is in eu-west-1, but aws.region is us-east-1"),
    ("gold:\n  bucket: ok-bucket\n" + GOOD_AWS + "  notifications:\n    email: not-an-email\n",
     r":7: aws.notifications.email: is not an e-mail address"),
    ("gold:\n  bucket: ok-bucket\nkpi:\n  relative_tolerance: -1\n", r":4: kpi.relative_tolerance: .*greater than or equal to 0"),
    # YAML keeps the last of two equal keys without a word: a config that says it twice is refused.
    ("gold:\n  bucket: ok-bucket\n  prefix: a/\n  bucket: other-bucket\n",
     r"cfg.yaml:4: gold.bucket: is set twice \(first on line 2\); keep one$"),
    # Type errors speak config, not pydantic: no "Input should be", no model class names.
    ("gold: ok-bucket\n", r":1: gold: must be a mapping \(key: value lines\) \(got 'ok-bucket'\)$"),
    ("gold:\n  bucket: ok-bucket\n  tables: [fact_sales]\n", r":3: gold.tables: must be a mapping \(key: value lines\) \(got a list\)$"),
    ("gold:\n  bucket:\n", r":2: gold.bucket: must be a valid string \(got None\)$"),
    # issue 12: export never writes into the gold layer (its files would be read as gold, or the grant covers gold)
    ("gold:\n  bucket: ok-bucket\n  prefix: gold/\n" + GOOD_AWS + "  export_prefix: gold/exports\n",
     r":7: aws.export_prefix: 'gold/exports/' is inside gold.prefix 'gold/'"),
    ("gold:\n  bucket: ok-bucket\n  prefix: lake/gold/\n" + GOOD_AWS + "  export_prefix: lake\n",
     r":7: aws.export_prefix: 'lake/' contains gold.prefix 'lake/gold/'"),
    # issue 12: the KMS key of an SSE-KMS bucket: an exact key ARN, in the bucket's partition and region
    ("gold:\n  bucket: ok-bucket\n" + GOOD_AWS + "  kms_key_arn: alias/gold\n",
     r":6: aws.kms_key_arn: is not a KMS key ARN \(arn:aws:kms:<region>:<12 digits>:key/<key id>; not an alias"),
    ("gold:\n  bucket: ok-bucket\n" + GOOD_AWS + "  kms_key_arn: arn:aws:kms:us-east-1:123456789012:key/*\n",
     r":6: aws.kms_key_arn: is not a KMS key ARN"),
    ("gold:\n  bucket: ok-bucket\n" + GOOD_AWS
     + "  kms_key_arn: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\n",
     r":6: aws.kms_key_arn: the key is in eu-west-1, but aws.region is us-east-1; S3 uses a KMS key in the bucket's region"),
    ("gold:\n  bucket: ok-bucket\n" + GOOD_AWS
     + "  kms_key_arn: arn:aws-cn:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\n",
     r":6: aws.kms_key_arn: the key is in partition aws-cn, but aws.region us-east-1 is in partition aws"),
    # issue 12: fedkit builds ARNs for the aws partition only; GovCloud and China are refused, not half-supported
    ("gold:\n  bucket: ok-bucket\naws:\n  account_id: '123456789012'\n  region: us-gov-west-1\n",
     r":5: aws.region: us-gov-west-1 is in the AWS partition aws-us-gov; fedkit supports the aws partition only"),
    ("gold:\n  bucket: ok-bucket\naws:\n  account_id: '123456789012'\n  region: cn-north-1\n",
     r":5: aws.region: cn-north-1 is in the AWS partition aws-cn; fedkit supports the aws partition only"),
]


@pytest.mark.parametrize("text,expected", BAD_CONFIGS, ids=[str(i) for i in range(len(BAD_CONFIGS))])
def test_bad_config_is_one_line_with_file_line_field(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert info.value.exit_code == 2
    import re

    assert re.search(expected, message), message


def test_external_id_is_never_echoed_in_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text("gold:\n  bucket: ok-bucket\nidentities:\n  snowflake:\n"
                    "    iam_user_arn: arn:aws:iam::123456789012:user/sf\n    external_id: 'Secret Value<1>'\n")
    with pytest.raises(ConfigError, match=r":6: identities.snowflake.external_id: is not a valid external id") as info:
        load_config(path)
    assert "Secret" not in str(info.value) and "got" not in str(info.value)
    # The --identity form written in the config: the whole string is reported, and it holds the external id.
    path.write_text("gold:\n  bucket: ok-bucket\nidentities:\n"
                    "  snowflake: 'arn:aws:iam::123456789012:user/sf,SECRET_EXT_ID_123='\n")
    with pytest.raises(ConfigError, match=r":4: identities.snowflake: ") as info:
        load_config(path)
    assert "SECRET_EXT_ID" not in str(info.value) and "got" not in str(info.value)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope.yaml: config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_example_config_loads_and_normalises() -> None:
    loaded = load_config(REPO / "config" / "federation.yaml")
    config = loaded.config
    assert config.gold.prefix == "gold/"
    assert config.bigquery is not None and config.bigquery.location == "aws-us-east-1"
    assert config.snowflake is not None and config.snowflake.schema_ == "GOLD"
    assert config.kpi.source_dialect == "duckdb"


def test_only_gold_is_required(tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text("gold:\n  bucket: my-bucket\n  prefix: lake/gold\n")
    config = load_config(path).config
    assert config.aws is None and config.bigquery is None and config.snowflake is None
    assert config.gold.prefix == "lake/gold/"


@pytest.mark.parametrize("text", [
    "gold:\n  local_dir: data/gold\n",  # local only
    "gold:\n  local_dir: data/gold\nsnowflake:\n  database: ANALYTICS\n",  # Snowflake only, no S3 wiring
    "gold:\n  local_dir: data/gold\nbigquery:\n  project: my-project\n",  # BigQuery only
    "gold: {}\n",
])
def test_gold_bucket_is_needed_only_where_s3_is_used(tmp_path: Path, text: str) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text(text)
    config = load_config(path).config
    assert config.gold.bucket is None and config.aws is None


def test_an_aws_section_needs_the_bucket_it_wires(tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text("gold:\n  local_dir: data/gold\n" + GOOD_AWS)
    with pytest.raises(ConfigError, match=r"cfg.yaml:1: gold.bucket: is required with an aws section"):
        load_config(path)


def test_commands_that_use_s3_name_the_missing_bucket(tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text("gold:\n  local_dir: data/gold\n")
    with pytest.raises(ConfigError, match=r"cfg.yaml: gold.bucket: is not set; `fedkit gold publish` needs it"):
        load_config(path).s3_bucket("`fedkit gold publish`")
    path.write_text("gold:\n  bucket: ok-bucket\n")
    assert load_config(path).s3_bucket("x") == "ok-bucket"


def test_json_schema_next_to_example_is_current() -> None:
    import json

    from toolkit.config_schema import json_schema

    committed = json.loads((REPO / "config" / "federation.schema.json").read_text())
    assert committed == json.loads(json.dumps(json_schema())), "run: fedkit config schema > config/federation.schema.json"


def test_missing_path_hint_names_the_project_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fedkit run from another folder: relative config paths miss, and the error says where they are."""
    project = tmp_path / "proj"
    (project / "conf").mkdir(parents=True)
    (project / "data" / "gold").mkdir(parents=True)
    config = project / "conf" / "federation.yaml"
    config.write_text("gold: {bucket: my-gold, local_dir: data/gold}\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    loaded = load_config(config)
    hint = loaded.missing_path_hint("data/gold")
    assert f"resolve from the working directory {elsewhere}" in hint
    assert f"it exists under {project}: run `fedkit -C {project} ...`" in hint
    assert "exists under" not in loaded.missing_path_hint("nowhere/at/all")
    assert "fedkit -C DIR" in loaded.missing_path_hint("nowhere/at/all")
    assert loaded.missing_path_hint(str(project / "data")) == ""  # absolute paths need no hint


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("gold: {bucket: my-gold, tabels: {}}\n", "gold.tabels: is not a known field; did you mean gold.tables?"),
        ("gold: {bucket: my-gold, tables: {orders: {partition_colums: [dt]}}}\n",
         "gold.tables.orders.partition_colums: is not a known field; did you mean gold.tables.orders.partition_columns?"),
        ("gold: {bucket: my-gold}\nsnowflake: {shema: GOLD}\n",
         "snowflake.shema: is not a known field; did you mean snowflake.schema?"),  # the YAML name, not schema_
        ("gold: {bucket: my-gold}\nkpis: {paths: [x]}\n", "kpis: is not a known field; did you mean kpi?"),
        ("gold: {bucket: my-gold}\nfoo: 1\n",
         "foo: is not a known field (known here: version, gold, aws, bigquery, snowflake, glue, athena, redshift, "
         "kpi, identities)"),
    ],
)
def test_unknown_key_suggests_the_field_meant(tmp_path: Path, yaml_text: str, expected: str) -> None:
    path = tmp_path / "federation.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).endswith(expected), str(info.value)
    assert info.value.exit_code == 2


def test_kms_key_in_the_bucket_region_loads(tmp_path: Path) -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    path = tmp_path / "cfg.yaml"
    path.write_text("gold:\n  bucket: ok-bucket\n" + GOOD_AWS + f"  kms_key_arn: {key}\n")
    assert load_config(path).config.aws.kms_key_arn == key


def test_partition_table_agrees_with_botocore() -> None:
    """fedkit's small region -> partition rule (no boto3 import at config load) says what botocore's data says."""
    import boto3

    from toolkit.locations import partition_for

    session = boto3.session.Session()
    for region in ("us-east-1", "eu-central-1", "ap-southeast-2", "us-gov-west-1", "us-gov-east-1", "cn-north-1",
                   "cn-northwest-1", "il-central-1", "mx-central-1"):
        assert partition_for(region) == session.get_partition_for_region(region), region
