"""Every AWS client is bounded: timeouts and attempts from one place, overridable by environment, checked."""

from __future__ import annotations

import pytest

from toolkit.aws import AwsLimits, aws_client, aws_limits
from toolkit.errors import UsageError


def test_defaults_are_bounded():
    limits = aws_limits({})
    assert limits == AwsLimits(10.0, 60.0, 5)


def test_environment_overrides():
    env = {"FEDKIT_AWS_CONNECT_TIMEOUT": "1.5", "FEDKIT_AWS_READ_TIMEOUT": "3", "FEDKIT_AWS_MAX_ATTEMPTS": "2"}
    assert aws_limits(env) == AwsLimits(1.5, 3.0, 2)


@pytest.mark.parametrize("name, value, reason", [
    ("FEDKIT_AWS_READ_TIMEOUT", "soon", "not a number"),
    ("FEDKIT_AWS_READ_TIMEOUT", "0", "must be between"),
    ("FEDKIT_AWS_MAX_ATTEMPTS", "50", "must be between 1 and 10"),
])
def test_bad_values_are_one_line_usage_errors(name, value, reason):
    with pytest.raises(UsageError) as caught:
        aws_limits({name: value})
    assert caught.value.message.startswith(f"{name}={value!r}: {reason}") and "\n" not in caught.value.message


def test_boto3_clients_carry_the_limits(monkeypatch):
    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    monkeypatch.setenv("FEDKIT_AWS_READ_TIMEOUT", "7")
    monkeypatch.setenv("FEDKIT_AWS_MAX_ATTEMPTS", "4")
    config = aws_client("iam").meta.config
    assert (config.connect_timeout, config.read_timeout) == (10.0, 7.0)
    # standard mode; total attempts (the first call included) = FEDKIT_AWS_MAX_ATTEMPTS
    assert config.retries == {"mode": "standard", "total_max_attempts": 4}


def test_pyarrow_s3_carries_the_limits(monkeypatch):
    from toolkit.gold.storage import s3_filesystem

    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    monkeypatch.setenv("FEDKIT_AWS_CONNECT_TIMEOUT", "2")
    monkeypatch.setenv("FEDKIT_AWS_READ_TIMEOUT", "3")
    settings = s3_filesystem().__reduce__()[1][0]
    assert (settings["connect_timeout"], settings["request_timeout"]) == (2.0, 3.0)
