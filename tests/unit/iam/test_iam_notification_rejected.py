"""Contract: real S3 validates every destination of a notification PUT and rejects the whole configuration when one
fails, naming it in ArgumentName1/ArgumentValue1 (moto does not validate, so the response is replayed here).

https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-to-enable-disable-notification-intro.html
"""

from __future__ import annotations

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from toolkit.config import Config, LoadedConfig
from toolkit.errors import CloudError
from toolkit.iam.notification_target import NotificationTarget
from toolkit.planning.actions import Action
from toolkit.planning.pipeline import Context

FOREIGN = "arn:aws:sqs:us-east-1:444455556666:someone-elses-queue"
REASON = "Permissions on the destination queue do not allow S3 to publish notifications from this bucket"
BODY = ("<Error><Code>InvalidArgument</Code><Message>Unable to validate the following destination configurations"
        f"</Message><ArgumentName1>{FOREIGN}</ArgumentName1><ArgumentValue1>{REASON}</ArgumentValue1>"
        "<RequestId>1</RequestId><HostId>h</HostId></Error>")


class _Raw:
    def stream(self, **_):
        yield BODY.encode()


def _rejecting_s3():
    s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    s3.meta.events.register("before-send.s3", lambda request, **_: AWSResponse(
        request.url, 400, {"Content-Type": "application/xml"}, _Raw()))
    return s3


def test_a_rejected_destination_is_named_in_one_line():
    config = Config.model_validate({"gold": {"bucket": "acme-gold"}, "snowflake": {},
                                    "aws": {"account_id": "111122223333", "region": "us-east-1"}})
    ctx = Context(loaded=LoadedConfig(config, path=__file__), client_factory={"s3": _rejecting_s3()}.__getitem__)
    action = Action("aws", "update", "s3_bucket_notification/acme-gold", "x",
                    payload={"op": "put_bucket_notification_configuration", "Bucket": "acme-gold",
                             "NotificationConfiguration": {}})
    with pytest.raises(CloudError) as err:
        NotificationTarget().apply(ctx, action)
    message = err.value.message
    assert "\n" not in message
    assert message.startswith("update s3_bucket_notification/acme-gold: InvalidArgument: S3 could not validate "
                              f"destination {FOREIGN} ({REASON})")
    assert "S3 rejects the whole configuration" in message
