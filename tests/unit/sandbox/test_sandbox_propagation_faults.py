"""The sandbox's IAM propagation fault counter (FEDKIT_SANDBOX_PROPAGATION_FAULTS): N access-denied answers, shared
through $FEDKIT_HOME, then success; a new N starts a new count; a bad value is a usage error."""

from __future__ import annotations

import pytest

from toolkit.engines.sandbox_faults import propagation_fault
from toolkit.errors import CloudError, UsageError


def _outcomes(n: int) -> list[str]:
    result = []
    for _ in range(n):
        try:
            propagation_fault("Access Denied")
            result.append("ok")
        except CloudError as exc:
            assert "simulated IAM propagation delay" in exc.message
            result.append("denied")
    return result


def test_first_n_calls_are_denied_then_every_call_succeeds(tmp_path, monkeypatch):
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path))
    monkeypatch.setenv("FEDKIT_SANDBOX_PROPAGATION_FAULTS", "2")
    assert _outcomes(4) == ["denied", "denied", "ok", "ok"]
    monkeypatch.setenv("FEDKIT_SANDBOX_PROPAGATION_FAULTS", "1")
    assert _outcomes(2) == ["denied", "ok"]
    monkeypatch.delenv("FEDKIT_SANDBOX_PROPAGATION_FAULTS")
    assert _outcomes(1) == ["ok"]


def test_a_bad_value_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path))
    monkeypatch.setenv("FEDKIT_SANDBOX_PROPAGATION_FAULTS", "many")
    with pytest.raises(UsageError, match="FEDKIT_SANDBOX_PROPAGATION_FAULTS: 'many'"):
        propagation_fault("Access Denied")
