"""The handshake: who the role must trust, and where that knowledge comes from.

An engine identity exists only after the engine side is created (DESIGN §5 "chicken and egg"):
- BigQuery Omni: the connection's `aws.access_role.identity` (21 digits, the Google `sub`);
- Snowflake: the integration's `STORAGE_AWS_IAM_USER_ARN` + `STORAGE_AWS_EXTERNAL_ID` (`DESC INTEGRATION`).

Sources, strongest first (`resolve_identities`):
1. `--identity` flags (`bigquery=<21 digits>`, `snowflake=<iam user arn>,<external id>`,
   `snowflake_channel=<sqs arn>`): the operator says so, for this run;
2. engine adapters (`IdentitySource` below; the registration code provides them): what the engine reports now;
3. the config's `identities:` section: a pinned, reviewed value (also what `fedkit iam generate` uses).

Everything here is pure: parsing and validation raise `UsageError` (exit 2) before any cloud call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Iterable, Protocol, Sequence, runtime_checkable

from toolkit.errors import UsageError
from toolkit.safe_text import refuse_unsafe

if TYPE_CHECKING:
    from toolkit.config import Config

GOOGLE_IDENTITY_RE = re.compile(r"^\d{21}\Z", re.ASCII)
IAM_USER_ARN_RE = re.compile(r"^arn:aws(-cn|-us-gov)?:iam::\d{12}:user/[\w+=,.@/-]{1,512}\Z", re.ASCII)
# STS accepts external ids of 2-1224 characters from this set; anything else can never be presented.
EXTERNAL_ID_RE = re.compile(r"^[\w+=,.@:/-]{2,1224}\Z", re.ASCII)
SQS_ARN_RE = re.compile(r"^arn:aws(-cn|-us-gov)?:sqs:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:[\w-]{1,80}\Z", re.ASCII)

FLAG_KEYS = ("bigquery", "snowflake", "snowflake_channel")
# The `Identities` fields that name a principal the role trusts (the channel is a queue, not a principal).
PRINCIPAL_KEYS = ("bigquery", "snowflake")


@runtime_checkable
class IdentitySource(Protocol):
    """What an engine adapter offers the handshake. Return None while the engine side does not exist yet.

    An adapter may also offer `snowflake_notification_channel() -> str | None` (the SQS ARN that
    `SHOW EXTERNAL TABLES` prints); it is optional and looked up with getattr.
    """

    def bigquery_identity(self) -> str | None: ...

    def snowflake_identity(self) -> tuple[str, str] | None: ...


@dataclass(frozen=True)
class SnowflakeTrust:
    iam_user_arn: str
    external_id: str


@dataclass(frozen=True)
class Identities:
    """Resolved identities; `sources` says where each came from (flag|engine|config), for the plan's detail."""

    bigquery: str | None = None
    snowflake: SnowflakeTrust | None = None
    snowflake_channel: str | None = None
    sources: dict[str, str] = field(default_factory=dict, compare=False)


def validate_bigquery_identity(value: str, where: str = "--identity bigquery") -> str:
    text = str(value).strip()
    if not GOOGLE_IDENTITY_RE.match(text):
        raise UsageError(f"{where}: {text!r} is not a Google identity (21 digits, as `bq show --connection` prints)")
    return text


def validate_snowflake_identity(arn: str, external_id: str, where: str = "--identity snowflake") -> SnowflakeTrust:
    arn, external_id = str(arn).strip(), str(external_id).strip()
    if not IAM_USER_ARN_RE.match(arn):
        raise UsageError(f"{where}: {arn!r} is not an IAM user ARN (arn:aws:iam::<12 digits>:user/<name>)")
    if not EXTERNAL_ID_RE.match(external_id):
        # Never echo the value: an external id is a shared secret-ish token.
        raise UsageError(f"{where}: the external id is not valid (2-1224 of letters, digits and +=,.@:/-_)")
    return SnowflakeTrust(arn, external_id)


def validate_sqs_arn(value: str, where: str = "--identity snowflake_channel") -> str:
    text = str(value).strip()
    if not SQS_ARN_RE.match(text):
        raise UsageError(f"{where}: {text!r} is not an SQS queue ARN (arn:aws:sqs:<region>:<12 digits>:<name>)")
    return text


def parse_identity_flags(flags: Iterable[str]) -> Identities:
    """`--identity KEY=VALUE` values -> Identities (UsageError on the first malformed one).

    One flag per engine: a second value for the same key is refused rather than silently winning (a copied command
    line with two identities would otherwise trust whichever came last). Values are taken as given, never stripped:
    one with a control character or outer whitespace is refused (`safe_text`), and an external id is never echoed.
    """
    result = Identities()
    sources: dict[str, str] = {}
    for raw in flags:
        key, sep, value = raw.partition("=")
        key = key.strip().lower().replace("-", "_")
        if not sep or key not in FLAG_KEYS:
            # only the key is shown: the value may be an external id
            shown = f" {key!r}" if sep else ""
            raise UsageError(
                f"--identity{shown}: expected one of bigquery=<21 digits>, snowflake=<iam user arn>,<external id>, "
                "snowflake_channel=<sqs arn>"
            )
        if key in sources:
            raise UsageError(f"--identity {key}: given twice; pass one --identity {key}=... per run")
        result = replace(result, **{key: _FLAG_PARSERS[key](value, f"--identity {key}")})
        sources[key] = "flag"
    return replace(result, sources=sources)


def _snowflake_flag(value: str, where: str) -> SnowflakeTrust:
    arn, comma, external_id = value.partition(",")
    if not comma:
        raise UsageError(f"{where}: expected <iam user arn>,<external id> (comma-separated)")
    refuse_unsafe(arn, where)
    refuse_unsafe(external_id, where, secret=True, what="the external id")
    return validate_snowflake_identity(arn, external_id)


# --identity key -> value -> the `Identities` field of the same name. An engine whose role trusts an AWS service (Glue,
# Redshift) has no identity to hand over and no entry here.
_FLAG_PARSERS: dict[str, Callable[[str, str], object]] = {
    "bigquery": lambda value, where: validate_bigquery_identity(refuse_unsafe(value, where)),
    "snowflake": _snowflake_flag,
    "snowflake_channel": lambda value, where: validate_sqs_arn(refuse_unsafe(value, where)),
}


def from_config(config: "Config") -> Identities:
    """The config's `identities:` section (already validated by the config model)."""
    section = config.identities
    snowflake = SnowflakeTrust(section.snowflake.iam_user_arn, section.snowflake.external_id) if section.snowflake else None
    found = {"bigquery": section.bigquery, "snowflake": snowflake, "snowflake_channel": section.snowflake_channel}
    sources = {k: "config" for k, v in found.items() if v is not None}
    return Identities(bigquery=section.bigquery, snowflake=snowflake, snowflake_channel=section.snowflake_channel,
                      sources=sources)


def from_sources(sources: Sequence[IdentitySource]) -> Identities:
    """Ask each engine adapter; the first one that knows an identity wins. Values are validated like flags."""
    bigquery: str | None = None
    snowflake: SnowflakeTrust | None = None
    channel: str | None = None
    for source in sources:
        if bigquery is None and hasattr(source, "bigquery_identity"):
            value = source.bigquery_identity()
            if value is not None:
                bigquery = validate_bigquery_identity(value, "bigquery connection identity")
        if snowflake is None and hasattr(source, "snowflake_identity"):
            pair = source.snowflake_identity()
            if pair is not None:
                snowflake = validate_snowflake_identity(pair[0], pair[1], "snowflake integration identity")
        getter = getattr(source, "snowflake_notification_channel", None)
        if channel is None and callable(getter):
            value = getter()
            if value is not None:
                channel = validate_sqs_arn(value, "snowflake notification channel")
    found = {"bigquery": bigquery, "snowflake": snowflake, "snowflake_channel": channel}
    return Identities(bigquery, snowflake, channel, sources={k: "engine" for k, v in found.items() if v is not None})


def merge(*layers: Identities) -> Identities:
    """The first layer that knows a value wins (pass them strongest first)."""
    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    for layer in layers:
        for key in FLAG_KEYS:
            value = getattr(layer, key)
            if key not in values and value is not None:
                values[key] = value
                sources[key] = layer.sources.get(key, "?")
    return Identities(sources=sources, **values)  # type: ignore[arg-type]


def resolve_identities(
    config: "Config", flags: Identities | None = None, sources: Sequence[IdentitySource] = ()
) -> Identities:
    """Resolution order: flag > engine > config."""
    return merge(flags or Identities(), from_sources(sources), from_config(config))
