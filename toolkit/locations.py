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
