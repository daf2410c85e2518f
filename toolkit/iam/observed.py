"""What fedkit saw in AWS: plain data, produced by the targets' `observe` and consumed by the pure planners."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ObservedRole:
    exists: bool = False
    arn: str | None = None
    trust: dict[str, Any] | None = None
    max_session_duration: int | None = None
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    inline_policy: dict[str, Any] | None = None  # fedkit's own inline policy, None when absent
    other_inline_policies: tuple[str, ...] = ()  # kept as they are; listed for people
    attached_policies: tuple[str, ...] = ()  # kept as they are; listed for people
    google_oidc_provider: str | None = None  # the account's own accounts.google.com OIDC provider, if it has one
    google_oidc_audiences: tuple[str, ...] = ()  # that provider's client IDs (audiences)
    bucket_region: str | None = None  # where the gold bucket lives (GetBucketLocation), None when unknown or absent


@dataclass(frozen=True)
class ObservedTopic:
    arn: str
    policy: dict[str, Any] | None
    email_endpoints: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObservedBucket:
    exists: bool = True
    notifications: dict[str, Any] = field(default_factory=dict)
    topic: ObservedTopic | None = None  # the alert topic, when configured and it exists
    region: str | None = None  # where the bucket lives (GetBucketLocation), None when unknown or absent
