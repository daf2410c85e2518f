"""Click/Typer usage errors (unknown option or command, bad choice, a value that is not a number, an option without
its value) are one line on stderr, exit 2, for every command: no multi-line box, and `--help` is unchanged."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

BQ_ID = "123456789012345678901"

USAGE_ERRORS = [
    (["plan", "--bogus"], r"No such option: --bogus", "fedkit plan --help"),
    (["--bogus"], r"No such option: --bogus", "fedkit --help"),
    (["nosuch"], r"No such command 'nosuch'", "fedkit --help"),
    (["kpi", "nosuch"], r"No such command 'nosuch'", "fedkit kpi --help"),
    (["validate", "--output", "xml"], r"Invalid value for '--output'", "fedkit validate --help"),
    (["plan", "--output", "yaml"], r"Invalid value for '--output'", "fedkit plan --help"),
    (["gold", "sample", "--orders", "abc"], r"Invalid value for '--orders'", "fedkit gold sample --help"),
    # click's parser raises these without a context, so there is no command to name in a hint
    (["plan", "--config"], r"Option '--config' requires an argument\.$", None),
    (["apply", "--identity"], r"Option '--identity' requires an argument\.$", None),
    (["sandbox", "up", "--moto-port", "x"], r"Invalid value for '--moto-port'", "fedkit sandbox up --help"),
    (["kpi", "run", "--idnetity"], r"No such option: --idnetity", "fedkit kpi run --help"),
]


@pytest.mark.parametrize("args, message, hint", USAGE_ERRORS, ids=[" ".join(a) for a, _, _ in USAGE_ERRORS])
def test_usage_error_is_one_line_exit_2(cli, args, message, hint):
    result = cli(*args)
    assert result.exit_code == 2, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    import re

    assert re.match(rf"^error: {message}", lines[0]), lines[0]
    if hint is not None:
        assert lines[0].endswith(f"(try '{hint}')"), lines[0]
    assert "╭" not in result.stderr and result.stdout == ""


def test_usage_error_echoes_no_terminal_escape(cli):
    result = cli("plan", "--bo\x1b[2Jgus")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "\x1b" not in result.stderr and "\\x1b[2Jgus" in result.stderr


def test_a_repeated_identity_for_one_engine_is_a_usage_error(cli, tmp_path):
    config = tmp_path / "federation.yaml"
    config.write_text('gold: {bucket: ok-bucket}\naws: {account_id: "123456789012", region: us-east-1}\n'
                      "bigquery: {project: my-project}\n")
    for command in ("plan", "apply"):
        result = cli(command, "--config", str(config), "--identity", f"bigquery={BQ_ID}",
                     "--identity", "bigquery=222222222222222222222")
        assert result.exit_code == 2, result
        assert result.stderr.splitlines() == [
            "error: --identity bigquery: given twice; pass one --identity bigquery=... per run"], result.stderr
        result = cli(command, "--config", str(config), "--identity", f"bigquery={BQ_ID}\n")
        assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1, result
        assert "holds a control character (U+000A)" in result.stderr


def test_help_is_unchanged_and_no_args_still_prints_help(cli):
    result = cli("plan", "--help")
    assert result.exit_code == 0 and "--identity" in result.stdout and "Example" in result.stdout
    assert result.stderr == ""
    result = cli("kpi")  # a group without a command prints its help, as before
    assert result.exit_code == 2 and "compile" in result.stdout and result.stderr == ""


def test_console_script_prints_one_line_in_a_narrow_terminal(tmp_path):
    """Through main(), as the console script runs it, with a terminal narrower than the message."""
    done = subprocess.run(
        [sys.executable, "-c", "from toolkit.cli import main; main()", "validate", "--output", "xml"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
        env={**os.environ, "COLUMNS": "40", "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("error: Invalid value for '--output'")


def _every_command() -> list[list[str]]:
    import toolkit.cli

    def walk(command, path):
        yield path
        for name, child in sorted((getattr(command, "commands", None) or {}).items()):
            yield from walk(child, [*path, name])

    return list(walk(toolkit.cli.command(), []))


@pytest.mark.parametrize("path", _every_command(), ids=lambda p: " ".join(["fedkit", *p]))
def test_every_command_answers_an_unknown_option_with_one_line(cli, path):
    result = cli(*path, "--zzqx")  # close to no option: click would add "(Possible options: ...)" otherwise
    assert result.exit_code == 2, result
    assert result.stderr.splitlines() == [
        f"error: No such option: --zzqx (try '{' '.join(['fedkit', *path])} --help')"
    ], result.stderr
    assert result.stdout == ""
