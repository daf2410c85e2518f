"""The sandbox's servers come from the `[sandbox]` extra: without it, the commands that start them say which extra
to install (one line, exit 2) instead of failing later inside a child process."""

from __future__ import annotations

import sys

import pytest

from toolkit.errors import UsageError
from toolkit.sandbox.extra import PIP_NAME, missing_sandbox_modules, require_sandbox_extra


@pytest.mark.parametrize("module", ["flask", "uvicorn", "moto"])
def test_a_missing_server_module_names_the_extra(monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # what `import module` sees when it is not installed
    assert module in missing_sandbox_modules()
    with pytest.raises(UsageError) as caught:
        require_sandbox_extra("fedkit sandbox up")
    message = caught.value.message
    assert "\n" not in message
    assert f"pip install '{PIP_NAME}[sandbox]'" in message
    assert "fedkit sandbox up" in message and module in message


def test_installed_extra_passes() -> None:
    assert missing_sandbox_modules() == []
    require_sandbox_extra("fedkit sandbox up")


def test_sandbox_up_without_the_extra_exits_2_before_starting_anything(cli, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = cli("sandbox", "up")
    assert result.exit_code == 2
    assert "[sandbox]" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "home" / "sandbox.json").exists()


def test_demo_without_the_extra_exits_2(cli, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    monkeypatch.setitem(sys.modules, "flask", None)
    result = cli("demo")
    assert result.exit_code == 2
    assert "[sandbox]" in result.stderr
