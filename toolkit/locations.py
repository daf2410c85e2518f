"""BigQuery Omni locations on AWS and the AWS region each one lives in: the one place this list is kept."""

from __future__ import annotations

OMNI_AWS_LOCATIONS: dict[str, str] = {
    "aws-us-east-1": "us-east-1",
    "aws-us-west-2": "us-west-2",
    "aws-ap-northeast-2": "ap-northeast-2",
    "aws-ap-southeast-2": "ap-southeast-2",
    "aws-eu-west-1": "eu-west-1",
    "aws-eu-central-1": "eu-central-1",
}


def aws_region_for(location: str) -> str:
    """The AWS region that hosts an Omni location; KeyError for a location that is not an Omni one."""
    return OMNI_AWS_LOCATIONS[location.lower()]


# Region name prefixes of the AWS partitions other than `aws` that a region name fedkit accepts can have (botocore's
# endpoints data: partitions[].regionRegex; tests check this agrees with `Session.get_partition_for_region`).
_OTHER_PARTITIONS = (("us-gov-", "aws-us-gov"), ("cn-", "aws-cn"))
SUPPORTED_PARTITION = "aws"


def partition_for(region: str) -> str:
    """The AWS partition of a region (`aws`, `aws-us-gov`, `aws-cn`): ARNs start with `arn:<partition>:`
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html)."""
    return next((partition for prefix, partition in _OTHER_PARTITIONS if region.startswith(prefix)), SUPPORTED_PARTITION)
