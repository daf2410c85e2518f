"""Acceptance for a team's own repository: fedkit installed from its wheel (not a checkout), run in an empty folder
outside the repository: `init --from-gold`, `validate`, `plan` work and no output shows a path inside the install."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, built_wheel: Path) -> Path:
    """The wheel's files under a folder named site-packages (dependencies come from the running environment)."""
    work = tmp_path_factory.mktemp("wheel_install")
    target = work / "venv" / "lib" / "site-packages"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target",
                           str(target), str(built_wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return target


def _fedkit(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FEDKIT_CONFIG", "FEDKIT_PROJECT_DIR")}
    env.update(FEDKIT_HOME=str(cwd / ".fedkit"), FEDKIT_MODE="cloud")
    code = f"import sys; sys.path.insert(0, {str(target)!r}); from toolkit.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.slow
def test_init_validate_plan_from_the_wheel_outside_the_repository(installed: Path, tmp_path: Path) -> None:
    from toolkit.gold.sample import write_sample

    probe = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(installed)!r}); "
                            "import toolkit; print(toolkit.__file__)"], capture_output=True, text=True,
                           env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert probe.stdout.strip().startswith(str(installed)), probe.stdout + probe.stderr
    write_sample(tmp_path / "data" / "gold", orders=80)
    outputs: list[str] = []

    def run(cwd: Path, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        result = _fedkit(installed, cwd, *args)
        outputs.append(result.stdout + result.stderr)
        assert result.returncode == code, (args, result.stdout, result.stderr)
        return result

    run(tmp_path, "init", "--from-gold", "data/gold")
    run(tmp_path, "validate")
    assert "Nothing to plan" in run(tmp_path, "plan").stdout
    # A project wiring both engines: the packaged DDL templates are checked and named without their install path.
    run(tmp_path, "init", "wired", "--from-gold", "data/gold", "--bucket", "acme-gold", "--aws-account-id",
        "123456789012", "--aws-region", "us-east-1", "--bigquery-project", "my-project", "--snowflake-database", "A")
    run(tmp_path / "wired", "iam", "generate")
    results = json.loads(run(tmp_path / "wired", "validate", "--output", "json").stdout)["results"]
    assert "fedkit:ddl/snowflake/stage.sql.j2" in {r["file"] for r in results}
    for text in outputs:
        assert "site-packages" not in text and str(installed) not in text
