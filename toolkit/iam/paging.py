"""List calls that read every page: IAM pages with IsTruncated/Marker, SNS with NextToken, and a first page alone
would hide a role's 101st policy or a topic's 101st subscription. botocore's paginators know each API's scheme.

IAM: https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRolePolicies.html (MaxItems, IsTruncated, Marker);
SNS: https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html (up to 100 per page, NextToken).
"""

from __future__ import annotations

from typing import Any

from toolkit.iam.aws_errors import call


def every_item(step: str, service: str, client: Any, operation: str, key: str, **params: Any) -> list[Any]:
    """The items under `key` across all pages of `operation`; a failure is a CloudError for `step`."""

    def read() -> list[Any]:
        items: list[Any] = []
        for page in client.get_paginator(operation).paginate(**params):
            items += page.get(key, [])
        return items

    return call(step, service, read)
