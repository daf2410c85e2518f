"""Which cloud fedkit reaches: FEDKIT_MODE is checked, and auto falling back to the cloud after a sandbox ran
from this project is said, not silent (issue 12 item 5)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.errors import UsageError
from toolkit.sandbox import state


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FEDKIT_MODE", raising=False)
    return tmp_path / "home"


@pytest.mark.parametrize("value", ["bogus", "Sandboxx", "local", "1"])
def test_unknown_mode_is_a_usage_error_naming_the_value(home: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("FEDKIT_MODE", value)
    with pytest.raises(UsageError) as error:
        state.mode()
    assert f"FEDKIT_MODE={value!r}" in error.value.message
    assert "sandbox, cloud or auto" in error.value.message
    assert "\n" not in error.value.message


@pytest.mark.parametrize("value, expected", [("sandbox", "sandbox"), ("CLOUD", "cloud"), ("auto", "cloud"), ("", "cloud")])
def test_known_modes(home: Path, monkeypatch: pytest.MonkeyPatch, value: str, expected: str) -> None:
    monkeypatch.setenv("FEDKIT_MODE", value)
    assert state.mode() == expected


def test_auto_without_history_falls_back_quietly(home: Path) -> None:
    resolved = state.resolve_mode()
    assert (resolved.mode, resolved.requested, resolved.fell_back) == ("cloud", "auto", False)
    assert resolved.notice is None


def test_auto_after_a_sandbox_ran_here_says_it_now_reaches_the_cloud(home: Path) -> None:
    state.write_state({"moto": {"pid": 1, "port": 5001, "endpoint": "http://127.0.0.1:5001"}})
    assert state.sandbox_used_here() is not None
    state.remove_state()  # what `fedkit sandbox down` does: the memory of it stays
    resolved = state.resolve_mode()
    assert (resolved.mode, resolved.fell_back) == ("cloud", True)
    assert resolved.notice is not None
    assert "no sandbox runs here" in resolved.notice and "REAL clouds" in resolved.notice
    assert "FEDKIT_MODE=cloud" in resolved.notice and "fedkit sandbox up" in resolved.notice


def test_forced_cloud_after_a_sandbox_is_a_choice_not_a_fallback(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state.write_state({"moto": {"pid": os.getpid(), "port": 5001}})
    state.remove_state()
    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    resolved = state.resolve_mode()
    assert (resolved.mode, resolved.fell_back, resolved.notice) == ("cloud", False, None)
