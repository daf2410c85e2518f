"""boto3 clients for the cloud and the sandbox alike: one factory, standard retries, endpoint from the environment."""

from __future__ import annotations

import os
from typing import Any


def aws_client(service: str, region: str | None = None, **overrides: Any) -> Any:
    """A boto3 client with botocore's standard retry mode (throttling and transient errors are retried).

    The endpoint comes from `AWS_ENDPOINT_URL` when set (boto3 honours it; the sandbox sets it), otherwise from the
    running sandbox when fedkit is in sandbox mode, otherwise AWS itself.
    """
    import boto3
    from botocore.config import Config

    from toolkit.sandbox.state import sandbox_aws_settings

    settings = dict(sandbox_aws_settings() or {})
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or settings.pop("endpoint_url", None)
    settings.pop("endpoint_url", None)
    config = Config(
        retries={"mode": "standard", "max_attempts": int(os.environ.get("FEDKIT_AWS_MAX_ATTEMPTS", "5"))},
        # Path-style addressing works against the sandbox (127.0.0.1) and every real region.
        s3={"addressing_style": "path"} if endpoint else None,
        connect_timeout=10,
        read_timeout=60,
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
