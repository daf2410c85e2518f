"""Where the gold bucket lives, and the check that `aws.region` says the same (every configuration, DESIGN §5).

BigQuery Omni reads only buckets in the AWS region of its location
(https://cloud.google.com/bigquery/docs/omni-introduction#locations), S3 notifies only queues and topics in the
bucket's region (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html), and an SSE-KMS key
is in the bucket's region: a wrong `aws.region` fails late in each, so it is refused at plan time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.config import Config


def observe_bucket_region(s3: Any, bucket: str) -> str | None:
    """GetBucketLocation, normalised; None when the bucket does not exist (yet). Other failures are CloudErrors."""
    from botocore.exceptions import BotoCoreError, ClientError

    from toolkit.iam.aws_errors import error_code, to_cloud_error

    step = f"observe s3_bucket_location/{bucket}"
    try:
        constraint = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint")
    except ClientError as exc:
        if error_code(exc) == "NoSuchBucket":
            return None
        raise to_cloud_error(exc, step, "s3") from exc
    except BotoCoreError as exc:
        raise to_cloud_error(exc, step, "s3") from exc
    # The API's legacy answers: no constraint means us-east-1, "EU" means eu-west-1
    # (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html).
    return {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(constraint, constraint)


def check_bucket_region(config: "Config", bucket_region: str | None) -> None:
    """UsageError (exit 2) when the bucket is known to be elsewhere than `aws.region`; nothing when unknown."""
    from toolkit.locations import OMNI_AWS_LOCATIONS

    aws = config.aws
    if aws is None or bucket_region is None or bucket_region == aws.region:
        return
    head = f"aws.region: {aws.region!r}, but s3://{config.gold.bucket} is in {bucket_region}"
    if config.bigquery is not None:
        there = next((loc for loc, region in OMNI_AWS_LOCATIONS.items() if region == bucket_region), None)
        other = (f"use the Omni location of {bucket_region} ({there}) and set aws.region: {bucket_region}" if there
                 else f"{bucket_region} has no BigQuery Omni location")
        raise UsageError(f"{head}; BigQuery Omni location {config.bigquery.location} reads buckets in {aws.region} "
                         f"only: move the gold layer to a bucket in {aws.region}, or {other}")
    raise UsageError(f"{head}; S3 sends events only to queues and topics in the bucket's region and fedkit's ARNs "
                     f"follow aws.region: set aws.region: {bucket_region}")
