"""IAM propagation (issue 12 item 4): the first engine call that assumes the role is retried on access-denied answers,
with backoff inside a bounded budget (FEDKIT_IAM_PROPAGATION_WAIT), a progress line per wait, and a message naming
the step when the budget runs out; any other error is not retried."""

from __future__ import annotations

import pytest

from toolkit.engines.propagation import is_access_denied, propagation_budget, retry_access_denied
from toolkit.errors import CloudError, UsageError

SF_DENIED = ("Snowflake: CREATE EXTERNAL TABLE A.B.T: 091003 (22000): Failure using stage area. Cause: [Access Denied "
             "(Status Code: 403; Error Code: AccessDenied)]")
BQ_DENIED = ("BigQuery: 403 Access Denied: BigQuery BigQuery: Permission denied while getting Drive credentials / "
             "Not authorized to perform sts:AssumeRoleWithWebIdentity")


def test_access_denied_answers_of_both_engines_are_recognised():
    assert is_access_denied(SF_DENIED) and is_access_denied(BQ_DENIED)
    assert not is_access_denied("Snowflake: SQL compilation error: Object 'A.B.T' does not exist")


def test_budget_comes_from_the_environment_and_a_bad_value_is_a_usage_error():
    assert propagation_budget({}) == 300.0
    assert propagation_budget({"FEDKIT_IAM_PROPAGATION_WAIT": "2.5"}) == 2.5
    with pytest.raises(UsageError, match="FEDKIT_IAM_PROPAGATION_WAIT: 'soon'"):
        propagation_budget({"FEDKIT_IAM_PROPAGATION_WAIT": "soon"})


def _flaky(failures: int, message: str = SF_DENIED):
    calls = {"n": 0}

    def fn() -> str:
        calls["n"] += 1
        if calls["n"] <= failures:
            raise CloudError(message)
        return "created"

    return fn, calls


def test_retries_with_backoff_and_says_it_waited():
    fn, calls = _flaky(3)
    slept: list[float] = []
    lines: list[str] = []
    assert retry_access_denied("create t", fn, budget=300, sleep=slept.append, progress=lines.append) == "created"
    assert calls["n"] == 4 and slept == [5.0, 10.0, 20.0]
    assert lines == ["create t: waiting for IAM to propagate (attempt 1, 0 s so far)",
                     "create t: waiting for IAM to propagate (attempt 2, 5 s so far)",
                     "create t: waiting for IAM to propagate (attempt 3, 15 s so far)"]


def test_stops_with_a_message_naming_the_step_when_the_budget_runs_out():
    fn, calls = _flaky(100)
    slept: list[float] = []
    with pytest.raises(CloudError) as caught:
        retry_access_denied("create snowflake_external_table/A.B.T", fn, budget=60, sleep=slept.append,
                            progress=lambda _: None)
    assert sum(slept) <= 60 and calls["n"] == len(slept) + 1
    message = caught.value.message
    assert message.startswith("create snowflake_external_table/A.B.T: access denied after ")
    assert "IAM changes to the role or its trust can take minutes to propagate" in message
    assert "rerun `fedkit apply`" in message and "Failure using stage area" in message


def test_other_errors_are_not_retried():
    fn, calls = _flaky(1, "Snowflake: SQL compilation error")
    with pytest.raises(CloudError, match="compilation"):
        retry_access_denied("create t", fn, budget=300, sleep=lambda _: None, progress=lambda _: None)
    assert calls["n"] == 1


def test_a_small_budget_scales_the_backoff_down():
    fn, _ = _flaky(2)
    slept: list[float] = []
    retry_access_denied("create t", fn, budget=2, sleep=slept.append, progress=lambda _: None)
    assert slept == [0.2, 0.4]
