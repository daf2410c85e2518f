"""What `pip install fedkit` (not editable) ships: the DDL and report templates must travel inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_wheel_carries_every_ddl_template_and_the_console_script(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("fedkit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = sorted(p.relative_to(REPO / "sql" / "ddl").as_posix() for p in (REPO / "sql" / "ddl").rglob("*.sql.j2"))
    assert templates, "sql/ddl holds the registration templates"
    missing = [t for t in templates if f"toolkit/ddl_templates/{t}" not in names]
    assert missing == []
    report = sorted(p.name for p in (REPO / "toolkit" / "report" / "templates").iterdir())
    assert report and [n for n in report if f"toolkit/report/templates/{n}" not in names] == []  # the HTML report's
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "fedkit = toolkit.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
