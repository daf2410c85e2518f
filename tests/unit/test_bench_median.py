"""`python -m bench median` on a small table: both medians agree, the ratio is printed (time itself is not asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_median_compares_the_two_medians(capsys):
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from bench import median

    assert median.main(["--rows", "5000", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "ratio hand-written / shipped (whole KPI):" in out and "(median step only):" in out
    assert "5,000 order lines" in out
    assert "median(" in median.SHIPPED.read_text()  # the shipped KPI is the native median now
