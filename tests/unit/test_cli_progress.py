"""The shared progress helper: rich in a terminal; outside one, silence for a short step and periodic plain lines
(then a `done` line) for a long one, so CI logs show long work is alive."""

from __future__ import annotations

import io
import json
import time

import pytest
from rich.console import Console

from toolkit.cli import common
from toolkit.cli.progress import step


def _plain() -> Console:
    return Console(file=io.StringIO(), force_terminal=False)


def test_a_short_step_says_nothing_outside_a_terminal(capsys):
    with step("quick", console=_plain(), quiet_for=0.5, every=0.05) as work:
        work.advance(3)
    assert capsys.readouterr().err == ""


def test_a_long_step_prints_periodic_lines_and_a_done_line(capsys):
    with step("publishing gold", total=4096, unit="bytes", console=_plain(), quiet_for=0.05, every=0.1) as work:
        work.advance(2048)
        time.sleep(0.45)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) >= 3, lines  # at least two periodic lines, then the done line
    assert lines[0].startswith("fedkit: publishing gold: 2.0 KiB of 4.0 KiB (")
    assert all(line.startswith("fedkit: publishing gold: ") for line in lines)
    assert lines[-1].startswith("fedkit: publishing gold: done in ")


def test_json_mode_keeps_stderr_json_lines(capsys, monkeypatch):
    monkeypatch.setattr(common, "JSON_ERRORS", True)
    with step("validating", console=_plain(), quiet_for=0.05, every=0.1) as work:
        work.advance(2)
        time.sleep(0.2)
    records = [json.loads(line)["progress"] for line in capsys.readouterr().err.splitlines()]
    assert records[0]["step"] == "validating" and records[0]["done"] == 2 and records[0]["state"] == "running"
    assert records[-1]["state"] == "done"


def test_in_a_terminal_it_is_a_rich_line_that_goes_away():
    buffer = io.StringIO()
    terminal = Console(file=buffer, force_terminal=True, width=100)
    with step("sandbox up", console=terminal) as work:
        work.advance(1, total=2, detail="moto")
        time.sleep(0.15)
    assert "sandbox up" in buffer.getvalue()


def test_a_bad_interval_is_a_usage_error(monkeypatch):
    from toolkit.errors import UsageError

    monkeypatch.setenv("FEDKIT_PROGRESS_EVERY", "0")
    with pytest.raises(UsageError, match="FEDKIT_PROGRESS_EVERY='0': expected a number of seconds above 0"):
        with step("x", console=_plain()):
            pass
    monkeypatch.setenv("FEDKIT_PROGRESS_EVERY", "5")
    monkeypatch.setenv("FEDKIT_PROGRESS_AFTER", "soon")
    with pytest.raises(UsageError, match="FEDKIT_PROGRESS_AFTER='soon'"):
        with step("x", console=_plain()):
            pass


def test_a_counted_line_names_its_unit_once():
    from toolkit.cli.progress import Step

    kpis = Step("running on duckdb", 17, "KPIs")
    kpis.advance(3)
    assert kpis.line().startswith("running on duckdb: 3 of 17 KPIs (")
    published = Step("demo: gold published", 3 * 1024 * 1024, "bytes")
    published.advance(1024 * 1024)
    assert published.line().startswith("demo: gold published: 1.0 MiB of 3.0 MiB (")
