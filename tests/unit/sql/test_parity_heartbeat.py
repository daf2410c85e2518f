"""Steps of a parity run with nothing to count (sampling, an oracle's one-off warm-up) still show life in a CI log."""

from __future__ import annotations

import time

from toolkit.sql.parity.lanes import Tracker


def test_a_long_step_says_what_it_is_and_then_that_it_is_still_going():
    lines: list[str] = []
    tracker = Tracker(lambda done, total, label: lines.append(label), total=3)
    with tracker.ongoing("reading and sampling the gold tables", every=0.05):
        time.sleep(0.3)
    assert lines[0] == "reading and sampling the gold tables"
    still = [line for line in lines[1:] if line.startswith("still reading and sampling the gold tables (")]
    assert len(still) >= 2 and len(still) == len(lines) - 1


def test_a_quiet_step_prints_nothing_when_it_ends_before_the_first_beat():
    lines: list[str] = []
    tracker = Tracker(lambda done, total, label: lines.append(label), total=1)
    with tracker.ongoing("preparing the duckdb oracle", announce=False, every=5):
        pass
    assert lines == []


def test_the_beat_stops_with_the_step_even_when_it_fails():
    lines: list[str] = []
    tracker = Tracker(lambda done, total, label: lines.append(label), total=1)
    try:
        with tracker.ongoing("sampling", announce=False, every=0.02):
            time.sleep(0.1)
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    seen = len(lines)
    time.sleep(0.1)
    assert seen >= 1 and len(lines) == seen
