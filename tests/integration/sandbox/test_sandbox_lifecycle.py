"""The sandbox for real: detached moto and fakesnow servers, real boto3 and snowflake-connector-python clients."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterator

import pytest

from toolkit.sandbox import manager, process
from toolkit.sandbox.state import read_state, state_file


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private FEDKIT_HOME; whatever a test starts is stopped afterwards."""
    path = tmp_path / "fedkit-home"
    monkeypatch.setenv("FEDKIT_HOME", str(path))
    monkeypatch.delenv("FEDKIT_MODE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    try:
        yield path
    finally:
        manager.down(timeout=5)


@pytest.fixture
def bystander() -> Iterator[subprocess.Popen]:
    """An unrelated process whose pid a stale or tampered state file may name: it must survive."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


def _snowflake(env: dict[str, str], sql: str) -> list:
    """Run statements through `connect(connection_name="fedkit_sandbox")` in a fresh interpreter.

    A fresh process because snowflake-connector-python reads SNOWFLAKE_HOME once, when it is first imported.
    """
    script = textwrap.dedent(
        f"""
        import json, warnings
        warnings.simplefilter("error", UserWarning)  # e.g. "Bad owner or permissions on connections.toml"
        import snowflake.connector
        conn = snowflake.connector.connect(connection_name="fedkit_sandbox")
        rows = []
        for statement in {sql!r}.split(";"):
            if statement.strip():
                rows = conn.cursor().execute(statement).fetchall()
        conn.close()
        print(json.dumps(rows, default=str))
        """
    )
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(("SNOWFLAKE_", "AWS_"))}
    done = subprocess.run([sys.executable, "-c", script], env={**child_env, **env}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_up_status_clients_persistence_down(home: Path, cli, bystander: subprocess.Popen) -> None:
    first = cli("sandbox", "up", "--output", "json")
    assert first.exit_code == 0, first.stderr
    started = json.loads(first.stdout)
    assert started["started"] is True and started["running"] is True
    pids = {s["name"]: s["pid"] for s in started["services"]}
    assert set(pids) == {"moto", "fakesnow"}

    # Idempotent: a second `up` finds it healthy and starts nothing.
    again = cli("sandbox", "up", "--output", "json")
    assert again.exit_code == 0
    assert json.loads(again.stdout)["started"] is False
    assert {s["name"]: s["pid"] for s in json.loads(again.stdout)["services"]} == pids
    assert "already up" in cli("sandbox", "up").stderr

    status = cli("sandbox", "status", "--output", "json")
    assert status.exit_code == 0
    assert all(s["healthy"] and s["running"] for s in json.loads(status.stdout)["services"])
    assert "fakesnow (Snowflake)" in cli("sandbox", "status").stdout

    env = json.loads(cli("sandbox", "env", "--output", "json").stdout)
    text_env = cli("sandbox", "env").stdout
    assert f"export AWS_ENDPOINT_URL='{env['AWS_ENDPOINT_URL']}'" in text_env

    # boto3 with exactly what `eval "$(fedkit sandbox env)"` would export.
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_DEFAULT_REGION"],
    )
    s3.create_bucket(Bucket="fedkit-sandbox-test")
    assert "fedkit-sandbox-test" in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    sts = boto3.client("sts", endpoint_url=env["AWS_ENDPOINT_URL"], aws_access_key_id="a", aws_secret_access_key="b", region_name="us-east-1")
    assert sts.get_caller_identity()["Account"].isdigit()

    # snowflake-connector-python through connections.toml, then a table that must survive down + up.
    rows = _snowflake(
        env,
        "select 1; create database if not exists fedkit_it; create schema if not exists fedkit_it.kept;"
        "create or replace table fedkit_it.kept.numbers (n int); insert into fedkit_it.kept.numbers values (1), (2), (3);"
        "select count(*) from fedkit_it.kept.numbers",
    )
    assert rows == [[3]]

    # What the engine adapters call: in auto mode a running sandbox is found from sandbox.json alone.
    import snowflake.connector

    from toolkit.aws import aws_client
    from toolkit.sandbox.state import mode, sandbox_snowflake_kwargs

    assert mode() == "sandbox"
    assert "fedkit-sandbox-test" in [b["Name"] for b in aws_client("s3").list_buckets()["Buckets"]]
    kwargs = sandbox_snowflake_kwargs()
    assert kwargs is not None and kwargs["port"] == json.loads(status.stdout)["services"][1]["port"]
    with snowflake.connector.connect(**kwargs) as conn:
        assert conn.cursor().execute("select count(*) from fedkit_it.kept.numbers").fetchall() == [(3,)]

    stopped = cli("sandbox", "down", "--output", "json")
    assert stopped.exit_code == 0
    assert sorted((e["service"], e["pid"]) for e in json.loads(stopped.stdout)["stopped"]) == sorted(pids.items())
    assert not any(process.pid_alive(pid) for pid in pids.values())
    assert bystander.poll() is None  # stopped exactly the recorded pids
    assert not state_file().exists()
    assert cli("sandbox", "status").exit_code == 1

    assert cli("sandbox", "up").exit_code == 0
    env2 = json.loads(cli("sandbox", "env", "--output", "json").stdout)
    assert _snowflake(env2, "select sum(n) from fedkit_it.kept.numbers") == [[6]]
    # moto keeps its state in memory: the bucket is gone after a restart (documented in `up --help`).
    s3b = boto3.client("s3", endpoint_url=env2["AWS_ENDPOINT_URL"], aws_access_key_id="a", aws_secret_access_key="b", region_name="us-east-1")
    assert s3b.list_buckets()["Buckets"] == []


def test_stale_state_is_cleaned_and_a_foreign_pid_is_left_alone(home: Path, cli, bystander: subprocess.Popen) -> None:
    home.mkdir(parents=True)
    # A state file naming a live process that is not ours (pid reuse) and a pid that no longer exists.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    state_file().write_text(
        json.dumps(
            {
                "moto": {"pid": bystander.pid, "host": "127.0.0.1", "port": 1, "endpoint": "http://127.0.0.1:1"},
                "fakesnow": {"pid": dead.pid, "host": "127.0.0.1", "port": 2, "endpoint": "http://127.0.0.1:2"},
            }
        )
    )
    status = cli("sandbox", "status", "--output", "json")
    assert status.exit_code == 1
    assert json.loads(status.stdout)["stale"] is True
    assert "stale" in cli("sandbox", "status").stderr

    down = cli("sandbox", "down")
    assert down.exit_code == 0
    assert f"pid {bystander.pid} is no longer our server" in down.stdout
    assert f"pid {dead.pid} was already gone" in down.stdout
    assert bystander.poll() is None
    assert not state_file().exists()

    # The same stale file in front of `up`: cleaned with a message, then a fresh sandbox starts.
    state_file().write_text(json.dumps({"moto": {"pid": dead.pid, "port": 1}, "fakesnow": {"pid": dead.pid, "port": 2}}))
    up = cli("sandbox", "up")
    assert up.exit_code == 0, up.stderr
    assert "stale" in up.stderr and "sandbox started" in up.stdout
    assert bystander.poll() is None
    assert manager.status().running


def test_unreadable_state_is_named_with_its_reset(home: Path, cli) -> None:
    """Not "not running": fedkit cannot tell what runs from a corrupt file, so it says so and how to reset it."""
    home.mkdir(parents=True)
    state_file().write_text("{not json")
    for command in ("status", "env", "up"):
        result = cli("sandbox", command)
        assert result.exit_code == 2, command
        assert "sandbox state file is unreadable (invalid JSON at line 1 column 2)" in result.stderr
        assert "`fedkit sandbox down` (removes it) then `fedkit sandbox up`" in result.stderr
    assert cli("sandbox", "down").exit_code == 0
    assert read_state() is None
    assert "not running" in cli("sandbox", "status").stdout


def test_port_in_use_is_a_one_line_usage_error(home: Path, cli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("sandbox", "up", "--moto-port", str(port))
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert read_state() is None


def test_server_dying_at_start_names_its_log_and_leaves_nothing_running(
    home: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A port taken between choosing it and binding it: moto exits, the error names the log, fakesnow is stopped."""
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        ports = iter([busy])
        real_free_port = process.free_port
        monkeypatch.setattr(process, "free_port", lambda host="127.0.0.1": next(ports, None) or real_free_port(host))
        started: list[int] = []
        real_start = process.start_detached

        def recording_start(*args, **kwargs):  # type: ignore[no-untyped-def]
            pid = real_start(*args, **kwargs)
            started.append(pid)
            return pid

        monkeypatch.setattr(process, "start_detached", recording_start)
        result = cli("sandbox", "up", "--timeout", "20")
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert "moto server exited at start" in message
    assert "logs/moto.log" in message
    assert "Traceback" not in message
    assert read_state() is None
    assert len(started) == 2 and not any(process.pid_alive(pid) for pid in started)


def test_up_again_after_a_multipart_upload_keeps_the_running_servers_and_their_data(home: Path, cli, tmp_path: Path) -> None:
    """moto's /moto-api/data.json answers 500 for a while after a multipart upload; `up` must not read that as a dead
    server and restart it (moto's state is in memory: a restart loses every bucket)."""
    import boto3
    from boto3.s3.transfer import TransferConfig

    first = cli("sandbox", "up", "--output", "json", "--account-id", "111122223333")  # a project's own account
    assert first.exit_code == 0, first.stderr
    pids = {s["name"]: s["pid"] for s in json.loads(first.stdout)["services"]}
    endpoint = manager.status().service("moto").endpoint
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="a", aws_secret_access_key="b", region_name="us-east-1")
    s3.create_bucket(Bucket="big")
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(9 * 1024 * 1024))
    s3.upload_file(str(big), "big", "gold/big.bin",
                   Config=TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024))

    from toolkit.sandbox.health import moto_healthy

    assert moto_healthy(endpoint)  # right after the upload, while data.json would answer 500
    again = cli("sandbox", "up", "--output", "json")
    assert again.exit_code == 0, again.stderr
    result = json.loads(again.stdout)
    assert result["started"] is False and result["running"] is True, result
    assert {s["name"]: s["pid"] for s in result["services"]} == pids
    assert s3.head_object(Bucket="big", Key="gold/big.bin")["ContentLength"] == 9 * 1024 * 1024
    status = cli("sandbox", "status", "--output", "json")
    assert status.exit_code == 0 and all(s["healthy"] for s in json.loads(status.stdout)["services"])


def test_up_restarts_only_the_server_that_died_and_keeps_moto_state(home: Path, cli) -> None:
    import signal

    import boto3

    first = cli("sandbox", "up", "--output", "json")
    assert first.exit_code == 0, first.stderr
    pids = {s["name"]: s["pid"] for s in json.loads(first.stdout)["services"]}
    endpoint = manager.status().service("moto").endpoint
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="a", aws_secret_access_key="b", region_name="us-east-1")
    s3.create_bucket(Bucket="kept")
    os.kill(pids["fakesnow"], signal.SIGKILL)
    process._wait_gone(pids["fakesnow"], 10)

    again = cli("sandbox", "up", "--output", "json")
    assert again.exit_code == 0, again.stderr
    result = json.loads(again.stdout)
    now = {s["name"]: s["pid"] for s in result["services"]}
    assert now["moto"] == pids["moto"] and now["fakesnow"] != pids["fakesnow"]
    assert result["running"] is True
    assert f"moto: pid {pids['moto']} runs and answers; kept (its state with it)" in result["messages"]
    assert (f"fakesnow: recorded pid {pids['fakesnow']} is gone (stale state): its Snowflake databases are kept on disk"
            in result["messages"])
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["kept"]
    assert read_state()["moto"]["account_id"] == "123456789012"
