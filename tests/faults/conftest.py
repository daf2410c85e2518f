"""Fault injection between fedkit and the sandbox servers: a proxy per test, in front of the session's moto."""

from __future__ import annotations

import os
import sys
from typing import Iterator

import pytest

_HERE = os.path.dirname(__file__)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)  # proxy.py (test code, not a package)

from proxy import FaultProxy  # noqa: E402


@pytest.fixture
def fault_proxy(aws: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultProxy]:
    """A FaultProxy in front of the (reset) moto server; boto3 and pyarrow's S3 go through it for this test.

    Short timeouts and few attempts keep every fault bounded: botocore waits at most 2 s for an answer.
    """
    with FaultProxy(aws, lifetime=120) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.endpoint)
        monkeypatch.setenv("FEDKIT_AWS_READ_TIMEOUT", "2")
        monkeypatch.setenv("FEDKIT_AWS_CONNECT_TIMEOUT", "2")
        monkeypatch.setenv("FEDKIT_AWS_MAX_ATTEMPTS", "3")
        yield proxy
