"""What `pip install fedkit-gold` (not editable) ships: the DDL and report templates travel inside the wheel, the
license is in its metadata, and the sandbox's servers stay an extra."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(built_wheel: Path) -> Path:
    return built_wheel


def test_wheel_carries_every_ddl_template_and_the_console_script(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = sorted(p.relative_to(REPO / "sql" / "ddl").as_posix() for p in (REPO / "sql" / "ddl").rglob("*.sql.j2"))
    assert templates, "sql/ddl holds the registration templates"
    missing = [t for t in templates if f"toolkit/ddl_templates/{t}" not in names]
    assert missing == []
    report = sorted(p.name for p in (REPO / "toolkit" / "report" / "templates").iterdir())
    assert report and [n for n in report if f"toolkit/report/templates/{n}" not in names] == []  # the HTML report's
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "fedkit = toolkit.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_wheel_metadata_names_the_license_and_keeps_the_sandbox_servers_optional(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "Name: fedkit-gold" in metadata
    assert "License-Expression: Apache-2.0" in metadata
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    base = [line for line in requires if "extra ==" not in line]
    sandbox = [line for line in requires if 'extra == "sandbox"' in line]
    assert not any("moto" in line or "[server]" in line for line in base)  # the servers are not in the base install
    assert any(line.startswith("Requires-Dist: fakesnow~=") for line in base)  # validate runs fakesnow in process
    assert any("moto[server]" in line for line in sandbox) and any("fakesnow[server]" in line for line in sandbox)
