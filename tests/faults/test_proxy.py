"""The fault proxy itself: it names AWS actions like the API reference and injects each fault as documented."""

from __future__ import annotations

import time

import pytest
from proxy import FaultProxy, s3_action


@pytest.mark.parametrize("method, path, query, action", [
    ("PUT", "/b", "notification", "PutBucketNotificationConfiguration"),
    ("GET", "/b", "notification", "GetBucketNotificationConfiguration"),
    ("GET", "/b", "location", "GetBucketLocation"),
    ("GET", "/b", "list-type=2&prefix=gold%2F", "ListObjectsV2"),
    ("PUT", "/b", "", "CreateBucket"),
    ("GET", "/b/gold/t/part-0.parquet", "", "GetObject"),
    ("HEAD", "/b/gold/t/part-0.parquet", "", "HeadObject"),
    ("PUT", "/b/k", "", "PutObject"),
])
def test_s3_rest_requests_are_named_like_the_api_reference(method, path, query, action):
    assert s3_action(method, path, query) == action


def _iam():
    from toolkit.aws import aws_client

    return aws_client("iam")


def _role(iam, name="r1"):
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[]}')


def test_unmatched_calls_pass_through_and_are_recorded(fault_proxy):
    _role(_iam())
    assert fault_proxy.actions() == ["iam:CreateRole"]


def test_throttling_is_retried_by_botocore(fault_proxy):
    fault_proxy.fail("iam:CreateRole", "throttle", times=2)
    _role(_iam())
    assert fault_proxy.actions() == ["iam:CreateRole"] * 3
    assert fault_proxy.actions("throttle") == ["iam:CreateRole"] * 2


@pytest.mark.parametrize("fault, code", [("denied", "AccessDenied"), ("slowdown", "ServiceUnavailable")])
def test_error_faults_answer_with_the_service_error(fault_proxy, fault, code):
    from botocore.exceptions import ClientError

    fault_proxy.fail("CreateRole", fault, times=5)
    with pytest.raises(ClientError) as caught:
        _role(_iam())
    assert caught.value.response["Error"]["Code"] == code


def test_s3_slowdown_and_denied(fault_proxy):
    from botocore.exceptions import ClientError

    from toolkit.aws import aws_client

    s3 = aws_client("s3")
    s3.create_bucket(Bucket="fault-bucket")
    fault_proxy.fail("s3:PutBucketNotificationConfiguration", "throttle", times=1)
    s3.put_bucket_notification_configuration(Bucket="fault-bucket", NotificationConfiguration={})
    assert fault_proxy.actions("throttle") == ["s3:PutBucketNotificationConfiguration"]
    fault_proxy.fail("s3:ListObjectsV2", "denied", times=5)
    with pytest.raises(ClientError) as caught:
        s3.list_objects_v2(Bucket="fault-bucket")
    assert caught.value.response["Error"]["Code"] == "AccessDenied"


def test_lost_response_happened_upstream_and_the_retry_sees_it(fault_proxy):
    from botocore.exceptions import ClientError

    fault_proxy.fail("iam:CreateRole", "lost")
    with pytest.raises(ClientError) as caught:
        _role(_iam())
    # botocore resent the request after the dropped answer; the role had been created by the first one.
    assert caught.value.response["Error"]["Code"] == "EntityAlreadyExists"
    assert fault_proxy.actions() == ["iam:CreateRole", "iam:CreateRole"]


def test_dropped_connection_is_retried(fault_proxy):
    fault_proxy.fail("iam:CreateRole", "drop")
    _role(_iam())
    assert fault_proxy.actions("drop") == ["iam:CreateRole"]
    assert _iam().get_role(RoleName="r1")["Role"]["RoleName"] == "r1"


def test_slow_answer_times_out_within_the_read_timeout(fault_proxy, monkeypatch):
    from botocore.exceptions import ReadTimeoutError

    monkeypatch.setenv("FEDKIT_AWS_MAX_ATTEMPTS", "1")
    fault_proxy.fail("iam:ListRoles", "slow", delay=30)
    started = time.monotonic()
    with pytest.raises(ReadTimeoutError):
        _iam().list_roles()
    assert time.monotonic() - started < 5  # FEDKIT_AWS_READ_TIMEOUT=2, not botocore's 60 s


def test_the_proxy_stops_by_itself(aws):
    import urllib.error
    import urllib.request

    proxy = FaultProxy(aws, lifetime=0.3).start()
    endpoint = proxy.endpoint
    time.sleep(0.8)
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        urllib.request.urlopen(endpoint + "/moto-api/", timeout=2)
