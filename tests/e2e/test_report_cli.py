"""`fedkit kpi report --html`: chart headers the report cannot use are exit 2 naming file:line; the page names
files relative to the project."""

from __future__ import annotations

from pathlib import Path

import pytest

BODY = "SELECT channel, SUM(amount) AS revenue FROM {{ ref('fact_sales') }} GROUP BY channel ORDER BY channel\n"


@pytest.fixture(scope="module")
def project(local_gold_project) -> Path:
    return local_gold_project("report-cli", orders=120)


@pytest.mark.parametrize(("header", "message"), [
    ("-- y: average_order_value\n", "by_channel.sql:2: y: 'average_order_value' is not a column of the result "
                                    "(columns: channel, revenue)"),
    ("-- chart: pie\n", "by_channel.sql:2: chart: 'pie' is not one of bar, line, stat, none"),
])
def test_a_header_the_report_cannot_use_is_exit_2_naming_the_line(cli, project, tmp_path, header, message):
    kpi = tmp_path / "by_channel.sql"
    kpi.write_text("-- name: by_channel\n" + header + BODY)
    out = tmp_path / "report.html"
    result = cli("kpi", "report", "-c", str(project), "--html", str(out), "--engines", "duckdb", str(kpi))
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_the_page_names_files_relative_to_the_project(cli, project, monkeypatch):
    monkeypatch.chdir(project.parent)
    out = project.parent / "site" / "kpi.html"
    result = cli("kpi", "report", "-c", str(project), "--html", str(out), "--engines", "duckdb",
                 "--kpi", "aov_by_channel")
    assert result.exit_code == 0, result.stderr
    page = out.read_text()
    assert str(project.parent) not in page and "from federation.yaml;" in page
    assert 'data-kpi="aov_by_channel" data-chart="bar" data-x="channel" data-y="average_order_value"' in page


def test_the_page_is_readable_by_whoever_the_user_shares_it_with(cli, project, tmp_path):
    """A page meant to be shared (served, attached, copied to a web folder) gets the permissions any new file gets
    under the user's umask, not the 0600 of a private temp file."""
    import os
    import stat

    out = tmp_path / "shared" / "kpi.html"
    previous = os.umask(0o022)
    try:
        result = cli("kpi", "report", "-c", str(project), "--html", str(out), "--engines", "duckdb",
                     "--kpi", "aov_by_channel")
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
