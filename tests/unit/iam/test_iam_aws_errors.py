"""botocore errors -> one-line CloudErrors; the bounded propagation retry and its timeout message."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from toolkit.errors import CloudError
from toolkit.iam.aws_errors import retry_propagation, to_cloud_error
from toolkit.iam.role_target import _pending


def client_error(code: str, message: str, operation: str = "UpdateAssumeRolePolicy") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, operation)


def test_access_denied_names_the_step_and_the_permission_from_aws_message():
    exc = client_error("AccessDenied", "User: arn:aws:iam::1:user/ci is not authorized to perform: "
                       "iam:UpdateAssumeRolePolicy on resource: role x")
    error = to_cloud_error(exc, "update iam_role/r/trust_policy", "iam")
    assert error.message == ("update iam_role/r/trust_policy: AccessDenied: missing permission "
                             "iam:UpdateAssumeRolePolicy (grant it to the identity running fedkit)")


def test_propagation_retry_is_bounded_and_its_timeout_keeps_aws_reason():
    # A Snowflake IAM user ARN that does not exist looks exactly like one IAM has not propagated yet
    # ("Invalid principal"): after the bounded retries the message must still say what AWS said.
    sleeps: list[float] = []
    calls: list[int] = []
    message = 'Invalid principal in policy: "AWS":"arn:aws:iam::999988887777:user/typo"'

    def update():
        calls.append(1)
        raise client_error("MalformedPolicyDocument", message)

    with pytest.raises(CloudError) as err:
        retry_propagation("update iam_role/r/trust_policy", "iam", update, _pending, 3, 2.0, sleeps.append)
    assert len(calls) == 3 and sleeps == [2.0, 2.0]
    text = err.value.message
    assert text.startswith("update iam_role/r/trust_policy: still MalformedPolicyDocument after 3 attempts over ~4 s")
    assert message in text and "\n" not in text


def test_a_non_propagation_error_is_not_retried():
    calls: list[int] = []

    def put():
        calls.append(1)
        raise client_error("LimitExceeded", "Cannot exceed quota for PolicySize: 10240", "PutRolePolicy")

    with pytest.raises(CloudError, match="put x: LimitExceeded: Cannot exceed quota"):
        retry_propagation("put x", "iam", put, _pending, 5, 1.0, lambda s: None)
    assert calls == [1]
