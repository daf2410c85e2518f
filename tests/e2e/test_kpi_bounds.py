"""Bounded KPI files through `fedkit validate`: too large (bytes) or too long (tokens: a 100,000-value IN list) is
refused before parsing with the reason, exit 2, one stderr line, quickly."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    from toolkit.gold.sample import write_sample

    root = tmp_path_factory.mktemp("bounds")
    write_sample(root / "gold", orders=50)
    text = (REPO / "config" / "federation.yaml").read_text(encoding="utf-8")
    config = root / "federation.yaml"
    config.write_text(text.replace("local_dir: .fedkit/gold", f"local_dir: {root / 'gold'}"), encoding="utf-8")
    return config


def _validate(cli, budget, project: Path, kpi: Path) -> list[str]:
    with budget(2.0):  # CPU seconds ("quickly"), whatever else the machine runs
        result = cli("validate", "-c", str(project), str(kpi))
    assert result.exit_code == 2 and result.stdout == "", result.stdout + result.stderr
    return result.stderr.splitlines()


def test_a_100k_value_in_list_is_refused_with_the_reason(cli, project, tmp_path, budget):
    values = ", ".join(str(i) for i in range(100_000))
    kpi = tmp_path / "big_in.sql"
    kpi.write_text(f"-- name: big_in\nSELECT COUNT(*) AS n\nFROM {{{{ ref('fact_sales') }}}}\n"
                   f"WHERE quantity IN ({values})\n", encoding="utf-8")
    assert kpi.stat().st_size < 1_000_000  # legal by size: the token bound is what refuses it
    lines = _validate(cli, budget, project, kpi)
    assert len(lines) == 1 and lines[0].startswith(f"error: {kpi}: 200,020 SQL tokens, more than the 20,000")
    assert "move long value lists into a gold table" in lines[0]


def test_a_kpi_over_one_megabyte_is_refused_before_parsing(cli, project, tmp_path, budget):
    kpi = tmp_path / "huge.sql"
    kpi.write_text("SELECT 1 AS x\n" + "-- padding padding padding\n" * 40_000, encoding="utf-8")
    lines = _validate(cli, budget, project, kpi)
    assert lines == [f"error: {kpi}: larger than the 1,000,000-byte limit for a SQL file (1 MB); split it, or move "
                     "long value lists into a gold table"]
