"""Which cloud a plan/apply touches: the sandbox's servers, or which real AWS account, GCP project, Snowflake account.

`plan` and `apply` print one line per cloud before the actions (and a `"targets"` object in JSON), so nobody applies
to a real account thinking it is the sandbox. The AWS account is the one STS GetCallerIdentity returned when the role
target checked it (`watch_caller_identity` listens to that call: no request is added). The Snowflake account comes
from the connection the connector will use (toolkit.engines.snowflake_connect), read from its file, no login.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

if TYPE_CHECKING:
    from toolkit.planning.pipeline import Context


@dataclass(frozen=True)
class CloudTarget:
    cloud: str  # aws | bigquery | snowflake
    mode: str  # sandbox | cloud
    text: str  # one line for people
    fields: dict[str, Any] = field(default_factory=dict)  # the same, for machines

    def to_json(self) -> dict[str, Any]:
        return {"mode": self.mode, **self.fields, "text": self.text}


def watch_caller_identity(ctx: "Context") -> dict[str, str]:
    """Record what sts:GetCallerIdentity answers on ctx's STS client (filled in when the role target observes)."""
    seen: dict[str, str] = {}

    def record(parsed: Any = None, **_: Any) -> None:
        if isinstance(parsed, dict) and parsed.get("Account"):
            seen["account"] = str(parsed["Account"])

    events = getattr(getattr(ctx.client("sts"), "meta", None), "events", None)
    if events is not None:
        events.register("after-call.sts.GetCallerIdentity", record)
    return seen


def _host_port(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.hostname}:{parsed.port}" if parsed.port else str(parsed.hostname or url)


# How botocore found the credentials (Credentials.method) -> what to tell a person. A profile names itself.
_CREDENTIAL_SOURCES = {
    "env": "credentials from AWS_ACCESS_KEY_ID",
    "explicit": "explicit credentials",
    "iam-role": "EC2 instance role",
    "container-role": "container role",
    "assume-role-with-web-identity": "web identity role (AWS_ROLE_ARN)",
}


def aws_credential_source() -> str:
    """'profile X' or where else boto3's default session found its credentials (already resolved: no call)."""
    import boto3

    session = boto3.DEFAULT_SESSION
    if session is None:  # clients made elsewhere (tests inject them): say what the environment says
        if os.environ.get("AWS_ACCESS_KEY_ID"):
            return _CREDENTIAL_SOURCES["env"]
        return f"profile {os.environ.get('AWS_PROFILE') or 'default'}"
    method = getattr(session.get_credentials(), "method", None)
    return _CREDENTIAL_SOURCES.get(str(method), f"profile {session.profile_name or 'default'}")


def aws_target(ctx: "Context", caller: dict[str, str], mode: str) -> CloudTarget:
    endpoint = str(getattr(getattr(ctx.client("sts"), "meta", None), "endpoint_url", "") or "")
    account = caller.get("account")
    if mode == "sandbox":
        text = f"sandbox (moto at {_host_port(endpoint)})" + (f", account {account}" if account else "")
        return CloudTarget("aws", mode, text, {"endpoint": endpoint, "account_id": account})
    source = aws_credential_source()
    text = f"AWS account {account or '(not read)'} ({source})"
    if os.environ.get("AWS_ENDPOINT_URL"):
        text += f" at {endpoint}"  # a custom endpoint in cloud mode: say where the requests really go
    return CloudTarget("aws", mode, text, {"account_id": account, "credentials": source, "endpoint": endpoint})


def bigquery_target(ctx: "Context", mode: str) -> CloudTarget:
    bq = ctx.config.bigquery
    assert bq is not None
    if mode == "sandbox":
        return CloudTarget("bigquery", mode, f"sandbox (ZetaSQL, no Google call), project {bq.project}",
                           {"project": bq.project, "location": bq.location})
    return CloudTarget("bigquery", mode, f"GCP project {bq.project} (real BigQuery, location {bq.location})",
                       {"project": bq.project, "location": bq.location})


def snowflake_target(ctx: "Context", mode: str) -> CloudTarget:
    if mode == "sandbox":
        from toolkit.sandbox.state import sandbox_snowflake_kwargs

        kwargs = sandbox_snowflake_kwargs() or {}
        where = f"{kwargs.get('host')}:{kwargs.get('port')}" if kwargs.get("port") else "(not running)"
        return CloudTarget("snowflake", mode, f"sandbox (fakesnow at {where})", {"endpoint": where})
    from toolkit.engines.snowflake_connect import describe_connection

    described = describe_connection(ctx.loaded)
    return CloudTarget("snowflake", mode, described["text"], {k: v for k, v in described.items() if k != "text"})


def describe_targets(ctx: "Context", caller: dict[str, str]) -> dict[str, CloudTarget]:
    """One line per cloud this plan/apply reaches (only the enabled ones)."""
    from toolkit.sandbox.state import mode as current_mode

    from toolkit.engines.registry import configured_engines, engines_that, traits

    mode = current_mode()
    engines = [e for e in configured_engines(ctx.loaded) if traits(e).registers_tables]
    wanted = ctx.only or frozenset(("aws", *engines))
    # A service of fedkit's own AWS account (Glue) has no line of its own: `--clouds glue` shows the AWS one.
    in_aws = {e for e in engines_that(lambda t: t.aws_service)}
    targets = {"aws": aws_target(ctx, caller, mode)} if "aws" in wanted or wanted & in_aws else {}
    targets.update({engine: traits(engine).describe_target(ctx, mode) for engine in engines if engine in wanted})
    return targets


def targets_json(targets: dict[str, CloudTarget]) -> dict[str, Any]:
    return {name: target.to_json() for name, target in targets.items()}


def real_clouds(targets: dict[str, CloudTarget]) -> list[CloudTarget]:
    return [t for t in targets.values() if t.mode == "cloud"]
