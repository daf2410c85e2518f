"""KPI headers that declare the chart: `chart:`, `x:`, `y:`, `format:`; a value the report cannot use is exit 2
naming file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import UsageError
from toolkit.sql.kpi_files import load_kpi_files

BODY = "SELECT channel, SUM(amount) / COUNT(*) AS aov FROM {{ ref('fact_sales') }} GROUP BY 1 ORDER BY 1\n"


def _write(tmp_path: Path, header: str) -> Path:
    path = tmp_path / "aov.sql"
    path.write_text("-- name: aov\n" + header + BODY)
    return path


def test_chart_keys_are_read_with_their_line(tmp_path: Path):
    _write(tmp_path, "-- chart: bar\n-- x: channel\n-- y: aov\n-- format: currency\n")
    (kpi,) = load_kpi_files([tmp_path])
    assert {k: kpi.header[k] for k in ("chart", "x", "y", "format")} == {
        "chart": "bar", "x": "channel", "y": "aov", "format": "currency"}
    assert kpi.header_lines["y"] == 4 and kpi.header_lines["chart"] == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("-- chart: pie\n", "aov.sql:2: chart: 'pie' is not one of bar, line, stat, none"),
        ("-- format: euros\n", "aov.sql:2: format: 'euros' is not one of percent, currency, integer, date, number"),
        ("-- y: SUM(amount)\n", "aov.sql:2: y: 'SUM(amount)' is not a column name"),
        ("-- x:\n", "aov.sql:2: x: '' is not a column name"),
    ],
)
def test_unknown_values_name_the_file_and_line(tmp_path: Path, line: str, message: str):
    _write(tmp_path, line)
    with pytest.raises(UsageError) as caught:
        load_kpi_files([tmp_path])
    assert str(caught.value.message).endswith(message)
