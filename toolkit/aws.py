"""boto3 clients for the cloud and the sandbox alike: one factory, standard retries, endpoint from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

# Bounded everywhere so that nothing hangs (a dead endpoint, a load balancer that never answers): the defaults
# suit AWS; tests and slow links override them with the variables below.
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 60.0
DEFAULT_MAX_ATTEMPTS = 5
MAX_ATTEMPTS_CAP = 10


@dataclass(frozen=True)
class AwsLimits:
    """Timeouts (seconds) and attempts for every AWS call fedkit makes (boto3 and pyarrow's S3 alike)."""

    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    max_attempts: int = DEFAULT_MAX_ATTEMPTS


def aws_limits(environ: dict[str, str] | None = None) -> AwsLimits:
    """`FEDKIT_AWS_CONNECT_TIMEOUT`, `FEDKIT_AWS_READ_TIMEOUT` (seconds) and `FEDKIT_AWS_MAX_ATTEMPTS` (1-10)."""
    from toolkit.limits import env_number

    env = os.environ if environ is None else environ
    return AwsLimits(
        connect_timeout=env_number("FEDKIT_AWS_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT, 0.1, 600, env),
        read_timeout=env_number("FEDKIT_AWS_READ_TIMEOUT", DEFAULT_READ_TIMEOUT, 0.1, 3600, env),
        max_attempts=int(env_number("FEDKIT_AWS_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS, 1, MAX_ATTEMPTS_CAP, env)),
    )


def aws_client(service: str, region: str | None = None, **overrides: Any) -> Any:
    """A boto3 client with botocore's standard retry mode and bounded connect/read timeouts.

    Standard mode retries throttling, 5xx and connection errors (a dropped connection, a read timeout) with
    exponential backoff, at most `max_attempts` times in all:
    https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html
    A retried call whose first answer was lost may find its own effect (EntityAlreadyExists): the appliers treat
    that as done when the object is fedkit's (`toolkit.iam.aws_errors.already_ours`).

    The endpoint comes from `AWS_ENDPOINT_URL` when set (boto3 honours it; the sandbox sets it), otherwise from the
    running sandbox when fedkit is in sandbox mode, otherwise AWS itself.
    """
    import boto3
    from botocore.config import Config

    from toolkit.sandbox.state import sandbox_aws_settings

    limits = aws_limits()
    settings = dict(sandbox_aws_settings() or {})
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or settings.pop("endpoint_url", None)
    settings.pop("endpoint_url", None)
    config = Config(
        retries={"mode": "standard", "total_max_attempts": limits.max_attempts},  # the first call included
        # Path-style addressing works against the sandbox (127.0.0.1) and every real region.
        s3={"addressing_style": "path"} if endpoint else None,
        connect_timeout=limits.connect_timeout,
        read_timeout=limits.read_timeout,
    )
    kwargs: dict[str, Any] = {"config": config, **settings}
    if endpoint:
        kwargs["endpoint_url"] = endpoint
    if region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"):
        kwargs["region_name"] = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    else:
        kwargs["region_name"] = "us-east-1"
    kwargs.update(overrides)
    from botocore.exceptions import ProfileNotFound

    try:
        return boto3.client(service, **kwargs)
    except ProfileNotFound as exc:
        from toolkit.errors import MissingCredentials

        raise MissingCredentials(f"AWS profile {exc.kwargs.get('profile')!r} (AWS_PROFILE) is not in "
                                 "~/.aws/config or ~/.aws/credentials: fix AWS_PROFILE, or `aws configure --profile` it")
