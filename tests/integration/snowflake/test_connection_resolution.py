"""Which Snowflake connection a fresh fedkit process picks, in each folder the connector documents, with a real
connector login to a fakesnow server (each connection logs in as its own user, so the login says which one won).

A new process per case: the connector resolves its folders when it is first imported, as in every fedkit command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

# Logs in through toolkit.engines.snowflake_connect and prints the user the connector logged in as.
SCRIPT = """
import sys
from toolkit.config import load_config
from toolkit.engines.snowflake_connect import connect, connect_kwargs
loaded = load_config(sys.argv[1])
loaded.snowflake_connection = sys.argv[2] or None
conn = connect(connect_kwargs(loaded))
print(conn.user)
conn.close()
"""


def _toml(fakesnow: dict, *names: str) -> str:
    parts = []
    for name in names:
        parts.append(f'[{name}]\naccount = "fakesnow"\nuser = "user_{name}"\npassword = "x"\n'
                     f'host = "{fakesnow["host"]}"\nport = {fakesnow["port"]}\nprotocol = "http"\n')
    return "\n".join(parts)


def _write(folder: Path, text: str, config_toml: str | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "connections.toml").write_text(text)
    (folder / "connections.toml").chmod(0o600)  # the connector warns about files others can read
    if config_toml is not None:
        (folder / "config.toml").write_text(config_toml)
        (folder / "config.toml").chmod(0o600)


def _picked(tmp_path: Path, env: dict[str, str], connection_name: str | None = None, flag: str = "") -> str:
    config = tmp_path / "federation.yaml"
    config.write_text("version: 1\ngold: {bucket: fedkit-demo-gold}\nsnowflake:\n  database: ANALYTICS\n"
                      + (f"  connection_name: {connection_name}\n" if connection_name else ""))
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("SNOWFLAKE_") and k not in ("HOME", "XDG_CONFIG_HOME")}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(config), flag], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120, env={**base, "PYTHONPATH": str(REPO_ROOT), **env})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def test_snowflake_home_and_config_toml_default(fakesnow_kwargs, tmp_path, home):
    folder = tmp_path / "sfhome"
    _write(folder, _toml(fakesnow_kwargs, "default", "team"), 'default_connection_name = "team"\n')
    assert _picked(tmp_path, {"HOME": str(home), "SNOWFLAKE_HOME": str(folder)}) == "user_team"


def test_dot_snowflake_default_connection(fakesnow_kwargs, tmp_path, home):
    _write(home / ".snowflake", _toml(fakesnow_kwargs, "default", "team"))
    assert _picked(tmp_path, {"HOME": str(home)}) == "user_default"


def test_linux_config_folder_when_there_is_no_dot_snowflake(fakesnow_kwargs, tmp_path, home):
    _write(home / ".config" / "snowflake", _toml(fakesnow_kwargs, "default", "team"), 'default_connection_name = "team"\n')
    assert _picked(tmp_path, {"HOME": str(home)}) == "user_team"


def test_environment_wins_over_the_project_and_the_flag_over_both(fakesnow_kwargs, tmp_path, home):
    _write(home / ".snowflake", _toml(fakesnow_kwargs, "default", "team", "ci"), 'default_connection_name = "team"\n')
    env = {"HOME": str(home)}
    assert _picked(tmp_path, env, connection_name="ci") == "user_ci"  # the project's default beats config.toml's
    env["SNOWFLAKE_DEFAULT_CONNECTION_NAME"] = "default"
    assert _picked(tmp_path, env, connection_name="ci") == "user_default"
    assert _picked(tmp_path, env, connection_name="ci", flag="team") == "user_team"
