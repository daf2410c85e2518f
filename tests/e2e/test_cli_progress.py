"""Long work talks outside a terminal (issue 15.8): periodic plain lines on stderr, JSON lines in --output json mode,
and stdout left exactly as it was. `make demo`'s install step says what it does before pip runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_a_long_step_prints_plain_lines_on_stderr_and_leaves_stdout_alone(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("FEDKIT_PROGRESS_AFTER", "0")
    monkeypatch.setenv("FEDKIT_PROGRESS_EVERY", "0.05")
    result = cli("gold", "sample", "--out", str(tmp_path / "gold"), "--orders", "4000", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["orders"] == 4000  # stdout is still exactly the JSON document
    lines = result.stderr.splitlines()
    progress = [json.loads(line)["progress"] for line in lines]  # --output json: stderr is JSON lines
    assert progress[0]["step"] == "writing the sample gold layer (4,000 orders)" and progress[-1]["state"] == "done"
    text = cli("gold", "sample", "--out", str(tmp_path / "gold2"), "--orders", "4000")
    assert text.exit_code == 0
    talk = text.stderr.splitlines()
    assert talk and all(line.startswith("fedkit: writing the sample gold layer") for line in talk), talk
    assert re.match(r"fedkit: writing the sample gold layer \(4,000 orders\): done in \d+ s$", talk[-1])


def test_a_quick_step_says_nothing(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("FEDKIT_PROGRESS_AFTER", "600")
    result = cli("gold", "sample", "--out", str(tmp_path / "gold"), "--orders", "50")
    assert result.exit_code == 0 and result.stderr == ""


def test_make_says_what_the_install_step_does_before_pip():
    recipe = (REPO / "Makefile").read_text()
    install = recipe[recipe.index("$(STAMP): pyproject.toml"):recipe.index("install: $(STAMP)")]
    lines = [line.strip() for line in install.splitlines()]
    pip = next(i for i, line in enumerate(lines) if "pip install" in line and "-e" in line)
    assert lines[pip - 1].startswith("@echo ") and "installing fedkit" in lines[pip - 1]
