"""The handshake interface: flags, engine adapters and the config, resolved flag > engine > config."""

from __future__ import annotations

import pytest

from toolkit.config import Config
from toolkit.errors import UsageError
from toolkit.planning.identities import (
    Identities,
    IdentitySource,
    SnowflakeTrust,
    from_sources,
    parse_identity_flags,
    resolve_identities,
)

ARN = "arn:aws:iam::999988887777:user/sf-abc"
CFG_ARN = "arn:aws:iam::999988887777:user/sf-config"


def config(**identities) -> Config:
    return Config.model_validate({"gold": {"bucket": "acme-gold"}, "identities": identities})


class Engine:
    def __init__(self, bq=None, sf=None, channel=None):
        self.bq, self.sf, self.channel = bq, sf, channel

    def bigquery_identity(self):
        return self.bq

    def snowflake_identity(self):
        return self.sf

    def snowflake_notification_channel(self):
        return self.channel


def test_engine_adapters_satisfy_the_protocol():
    assert isinstance(Engine(), IdentitySource)


def test_flags_parse_all_three_keys():
    ids = parse_identity_flags([
        "bigquery=123456789012345678901",
        f"snowflake={ARN},AB_SFCRole=1_x=",
        "snowflake_channel=arn:aws:sqs:us-east-1:999988887777:sf-snowpipe-X",
    ])
    assert ids.bigquery == "123456789012345678901"
    assert ids.snowflake == SnowflakeTrust(ARN, "AB_SFCRole=1_x=")
    assert ids.snowflake_channel.endswith(":sf-snowpipe-X")
    assert ids.sources == {"bigquery": "flag", "snowflake": "flag", "snowflake_channel": "flag"}


@pytest.mark.parametrize(
    "flag, message",
    [
        ("bigquery=12345", r"--identity bigquery: '12345' is not a Google identity"),
        ("bigquery=12345678901234567890a", "is not a Google identity"),
        (f"snowflake={ARN}", "expected <iam user arn>,<external id>"),
        ("snowflake=arn:aws:iam::12:user/x,AB", r"'arn:aws:iam::12:user/x' is not an IAM user ARN"),
        ("snowflake=arn:aws:iam::999988887777:role/x,AB", "is not an IAM user ARN"),
        (f"snowflake={ARN},<bad id>", "the external id is not valid"),
        ("snowflake_channel=arn:aws:sns:us-east-1:999988887777:t", "is not an SQS queue ARN"),
        ("google=1", "expected one of bigquery="),
        ("bigquery", "expected one of bigquery="),
    ],
)
def test_bad_flags_are_one_line_usage_errors(flag, message):
    with pytest.raises(UsageError, match=message) as err:
        parse_identity_flags([flag])
    assert err.value.exit_code == 2 and "\n" not in err.value.message


def test_external_id_is_never_echoed_in_errors():
    with pytest.raises(UsageError) as err:
        parse_identity_flags([f"snowflake={ARN},secret value"])
    assert "secret" not in err.value.message


def test_resolution_order_flag_then_engine_then_config():
    cfg = config(bigquery="111111111111111111111", snowflake={"iam_user_arn": CFG_ARN, "external_id": "CFG"})
    assert resolve_identities(cfg).sources == {"bigquery": "config", "snowflake": "config"}
    engine = Engine(bq="222222222222222222222", channel="arn:aws:sqs:us-east-1:999988887777:q")
    ids = resolve_identities(cfg, None, [engine])
    assert (ids.bigquery, ids.snowflake.iam_user_arn) == ("222222222222222222222", CFG_ARN)
    assert ids.sources == {"bigquery": "engine", "snowflake": "config", "snowflake_channel": "engine"}
    flags = parse_identity_flags(["bigquery=333333333333333333333"])
    ids = resolve_identities(cfg, flags, [engine])
    assert ids.bigquery == "333333333333333333333" and ids.sources["bigquery"] == "flag"


def test_config_snowflake_channel_is_the_weakest_source():
    """`identities.snowflake_channel` was flag-only: the config now pins it, under the engine and the flag."""
    pinned, reported, given = (f"arn:aws:sqs:us-east-1:999988887777:{name}" for name in ("pinned", "reported", "given"))
    cfg = config(snowflake_channel=pinned)
    ids = resolve_identities(cfg)
    assert (ids.snowflake_channel, ids.sources) == (pinned, {"snowflake_channel": "config"})
    ids = resolve_identities(cfg, None, [Engine(channel=reported)])
    assert (ids.snowflake_channel, ids.sources["snowflake_channel"]) == (reported, "engine")
    ids = resolve_identities(cfg, parse_identity_flags([f"snowflake_channel={given}"]), [Engine(channel=reported)])
    assert (ids.snowflake_channel, ids.sources["snowflake_channel"]) == (given, "flag")


def test_engines_that_know_nothing_yet_and_first_engine_wins():
    assert from_sources([Engine()]) == Identities()
    ids = from_sources([Engine(), Engine(sf=(ARN, "E1")), Engine(sf=(CFG_ARN, "E2"))])
    assert ids.snowflake == SnowflakeTrust(ARN, "E1")


def test_engine_values_are_validated_like_flags():
    with pytest.raises(UsageError, match="bigquery connection identity"):
        from_sources([Engine(bq="not-digits")])


BQ_ID = "123456789012345678901"


@pytest.mark.parametrize(
    "flags, key",
    [
        ([f"bigquery={BQ_ID}", "bigquery=222222222222222222222"], "bigquery"),
        ([f"bigquery={BQ_ID}", f"bigquery={BQ_ID}"], "bigquery"),  # even the same value: one flag per engine
        ([f"snowflake={ARN},FIRST_SECRET", f"snowflake={CFG_ARN},SECOND_SECRET"], "snowflake"),
        (["snowflake_channel=arn:aws:sqs:us-east-1:999988887777:a",
          "snowflake-channel=arn:aws:sqs:us-east-1:999988887777:b"], "snowflake_channel"),
    ],
)
def test_a_repeated_identity_for_one_engine_is_a_usage_error_not_last_wins(flags, key):
    with pytest.raises(UsageError, match=rf"^--identity {key}: given twice; pass one --identity {key}=\.\.\.") as err:
        parse_identity_flags(flags)
    assert err.value.exit_code == 2 and "\n" not in err.value.message
    assert "SECRET" not in err.value.message


@pytest.mark.parametrize(
    "flag, problem",
    [
        (f"bigquery={BQ_ID}\n", "holds a control character (U+000A)"),
        (f"bigquery= {BQ_ID}", "starts or ends with whitespace"),
        (f"bigquery={BQ_ID}\u2028", "holds a control character (U+2028)"),
        (f"snowflake={ARN}\r,AB_1", "holds a control character (U+000D)"),
        (f"snowflake={ARN}, AB_1", "starts or ends with whitespace"),
        ("snowflake_channel=arn:aws:sqs:us-east-1:999988887777:q\x1b[0m", "holds a control character (U+001B)"),
        ("snowflake_channel=arn:aws:sqs:us-east-1:999988887777:q ", "starts or ends with whitespace"),
    ],
)
def test_identity_flags_with_control_characters_or_outer_whitespace_are_refused(flag, problem):
    """Today these were stripped (or matched by a regex `$` before a newline) and silently accepted."""
    with pytest.raises(UsageError) as err:
        parse_identity_flags([flag])
    message = err.value.message
    assert problem in message and message.startswith("--identity ")
    assert "\n" not in message and message.isprintable(), repr(message)


def test_an_external_id_with_a_control_character_is_refused_without_echo():
    with pytest.raises(UsageError, match="the external id holds a control character") as err:
        parse_identity_flags([f"snowflake={ARN},SECRET_VALUE\n"])
    assert "SECRET" not in err.value.message


def test_an_unknown_key_does_not_echo_the_value_it_carries():
    with pytest.raises(UsageError, match="expected one of bigquery=") as err:
        parse_identity_flags([f"snowflak={ARN},SECRET_VALUE"])
    assert "SECRET" not in err.value.message and "'snowflak'" in err.value.message
