"""`fedkit --help` stays fast: no cloud SDK, engine or data library is imported to print any help.

Every command's help also carries a real `Example:` line (house rule), checked on the rendered `--help` output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

HEAVY = ("boto3", "botocore", "google.cloud", "snowflake", "zetasql", "duckdb", "pyarrow", "numpy", "moto", "fakesnow")

# Runs in a fresh interpreter: import the CLI, print the help of the root and of every group and command (walking the
# click tree Typer builds), and after each one note which heavy modules have appeared in sys.modules.
_PROBE = textwrap.dedent(
    """
    import contextlib, io, json, sys

    HEAVY = {heavy!r}

    def heavy_loaded():
        return sorted({{m for m in sys.modules for h in HEAVY if m == h or m.startswith(h + ".")}})

    import toolkit.cli
    after_import = heavy_loaded()

    from typer.main import get_command

    def walk(command, path):
        yield path, command
        children = getattr(command, "commands", None) or {{}}
        for name in sorted(children):
            yield from walk(children[name], path + [name])

    report = {{"after_import": after_import, "commands": []}}
    for path, command in walk(get_command(toolkit.cli.app), []):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = toolkit.cli.run(path + ["--help"])
        report["commands"].append({{
            "path": " ".join(["fedkit"] + path),
            "exit_code": code,
            "help": out.getvalue(),
            "docstring": command.help or "",
            "heavy": heavy_loaded(),
        }})
    sys.stdout.write(json.dumps(report))
    """
).format(heavy=HEAVY)


@pytest.fixture(scope="module")
def probe() -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200", "TERM": "dumb"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_every_command_is_found(probe: dict) -> None:
    paths = {c["path"] for c in probe["commands"]}
    # The families the root app mounts; each must have been walked into, not just listed.
    for family in ("sandbox", "gold", "iam", "kpi"):
        assert f"fedkit {family}" in paths
        assert any(p.startswith(f"fedkit {family} ") for p in paths), f"no sub-command found under fedkit {family}"
    for command in ("demo", "plan", "apply", "validate", "sandbox up", "sandbox status", "sandbox down", "sandbox env"):
        assert f"fedkit {command}" in paths


def test_help_exits_zero_everywhere(probe: dict) -> None:
    failed = {c["path"]: c["exit_code"] for c in probe["commands"] if c["exit_code"] != 0}
    assert failed == {}


def test_importing_the_cli_loads_no_heavy_module(probe: dict) -> None:
    assert probe["after_import"] == []


def test_no_help_loads_a_heavy_module(probe: dict) -> None:
    # The first command after which a heavy module shows up is the one that imported it.
    culprits = {}
    seen: set[str] = set()
    for command in probe["commands"]:
        new = sorted(set(command["heavy"]) - seen)
        if new:
            culprits[command["path"]] = new
            seen.update(new)
    assert culprits == {}, f"heavy imports while printing help: {culprits}"


def test_every_help_has_an_example(probe: dict) -> None:
    missing = [c["path"] for c in probe["commands"] if "Example" not in c["help"] or "Example" not in c["docstring"]]
    assert missing == [], f"--help without an 'Example' line: {missing}"
