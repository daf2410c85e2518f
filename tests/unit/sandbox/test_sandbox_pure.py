"""Pure pieces of the sandbox: connections.toml text, connect kwargs, shell exports, service specs, sample marker."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest

from toolkit.errors import CloudError
from toolkit.sandbox import state
from toolkit.sandbox.demo_steps import SAMPLE_MARKER, STEPS, sample_is_current
from toolkit.sandbox.manager import SandboxStatus, ServiceStatus, sandbox_env, shell_exports
from toolkit.sandbox.services import FAKESNOW, MOTO
from toolkit.sandbox.snowflake_home import render_connections_toml, write_snowflake_home


def test_connections_toml_round_trips_through_a_toml_reader() -> None:
    kwargs = state.snowflake_connect_kwargs("127.0.0.1", 50123)
    parsed = tomllib.loads(render_connections_toml(kwargs))
    assert parsed == {"fedkit_sandbox": kwargs}
    assert parsed["fedkit_sandbox"]["port"] == 50123
    assert parsed["fedkit_sandbox"]["protocol"] == "http"
    # A user's session, in Snowflake's account default zone (fedkit's own sessions are pinned to UTC).
    assert parsed["fedkit_sandbox"]["session_parameters"]["TIMEZONE"] == "America/Los_Angeles"
    assert parsed["fedkit_sandbox"]["session_parameters"]["CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED"] is False


def test_connections_toml_escapes_strings() -> None:
    text = render_connections_toml({"user": 'a"b\\c', "port": 1}, name="x")
    assert tomllib.loads(text) == {"x": {"user": 'a"b\\c', "port": 1}}


def test_connections_toml_is_private(tmp_path: Path) -> None:
    home = tmp_path / "snowflake"
    path = write_snowflake_home(home, state.snowflake_connect_kwargs("127.0.0.1", 1))
    assert path == home / "connections.toml"
    # snowflake-connector-python warns about (and may refuse) files others can read or write.
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert not list(home.glob(".*.tmp"))


def test_sandbox_snowflake_kwargs_none_in_cloud_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path))
    monkeypatch.setenv("FEDKIT_MODE", "cloud")
    state.write_state({"fakesnow": {"pid": os.getpid(), "host": "127.0.0.1", "port": 4242}})
    assert state.sandbox_snowflake_kwargs() is None


def test_sandbox_snowflake_kwargs_from_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path))
    monkeypatch.setenv("FEDKIT_MODE", "sandbox")
    assert state.sandbox_snowflake_kwargs() is None  # no state file yet
    state.write_state({"fakesnow": {"pid": os.getpid(), "host": "127.0.0.1", "port": 4242}})
    kwargs = state.sandbox_snowflake_kwargs()
    assert kwargs is not None
    assert (kwargs["host"], kwargs["port"], kwargs["protocol"], kwargs["account"]) == ("127.0.0.1", 4242, "http", "fakesnow")
    # A user's session defaults to the account zone; fedkit's own adapter pins its sessions to UTC.
    assert kwargs["session_parameters"]["TIMEZONE"] == "America/Los_Angeles"
    from toolkit.engines.snowflake_sandbox import SnowflakeSandboxEngine

    pinned = SnowflakeSandboxEngine(loaded=None).connect_kwargs()  # type: ignore[arg-type]
    assert pinned["session_parameters"]["TIMEZONE"] == "UTC" and pinned["port"] == 4242
    assert state.remove_state() is True
    assert state.remove_state() is False


def test_service_markers_pin_module_and_port() -> None:
    argv = MOTO.argv("/py", "127.0.0.1", 5001)
    assert argv == ["/py", "-m", "moto.server", "-H", "127.0.0.1", "-p", "5001"]
    line = " ".join(argv)
    assert all(marker in line for marker in MOTO.markers(5001))
    assert not all(marker in line for marker in MOTO.markers(5002))
    snow = " ".join(FAKESNOW.argv("/py", "127.0.0.1", 6001, Path("/data")))
    assert snow.endswith("--port 6001 --db-path /data")
    assert all(marker in snow for marker in FAKESNOW.markers(6001))
    assert not all(marker in line for marker in FAKESNOW.markers(5001))


def _status(stale: bool = False) -> SandboxStatus:
    return SandboxStatus(
        state_file=".fedkit/sandbox.json",
        recorded=True,
        services=[
            ServiceStatus("moto", "moto", 11, "127.0.0.1", 5001, "http://127.0.0.1:5001", None, not stale, not stale),
            ServiceStatus("fakesnow", "fakesnow", 12, "127.0.0.1", 5002, "http://127.0.0.1:5002", None, True, True),
        ],
    )


def test_sandbox_env_names_every_client_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    env = sandbox_env("eu-west-1", _status())
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:5001"
    assert env["AWS_ACCESS_KEY_ID"] == state.SANDBOX_AWS_CREDENTIALS["aws_access_key_id"]
    assert env["AWS_SECRET_ACCESS_KEY"] == state.SANDBOX_AWS_CREDENTIALS["aws_secret_access_key"]
    assert env["AWS_DEFAULT_REGION"] == env["AWS_REGION"] == "eu-west-1"
    assert env["SNOWFLAKE_HOME"] == str((tmp_path / "home" / "snowflake").absolute())
    assert env["SNOWFLAKE_DEFAULT_CONNECTION_NAME"] == "fedkit_sandbox"
    assert env["FEDKIT_MODE"] == "sandbox"


def test_sandbox_env_refuses_a_stale_or_missing_sandbox() -> None:
    with pytest.raises(CloudError, match="fedkit sandbox up"):
        sandbox_env("us-east-1", _status(stale=True))
    with pytest.raises(CloudError, match="not running"):
        sandbox_env("us-east-1", SandboxStatus(state_file="x", recorded=False))


def test_shell_exports_survive_a_real_shell() -> None:
    env = {"AWS_ENDPOINT_URL": "http://127.0.0.1:5001", "SNOWFLAKE_HOME": "/tmp/it's here/snowflake"}
    script = shell_exports(env) + 'printf "%s\\n%s\\n" "$AWS_ENDPOINT_URL" "$SNOWFLAKE_HOME"; echo "${AWS_SESSION_TOKEN-unset}"'
    out = subprocess.run(
        ["sh", "-c", script], capture_output=True, text=True, check=True, env={**os.environ, "AWS_SESSION_TOKEN": "real"}
    ).stdout.splitlines()
    assert out == ["http://127.0.0.1:5001", "/tmp/it's here/snowflake", "unset"]


def _fake_sample(root: Path, args: dict) -> None:
    from toolkit.gold.sample import TABLES

    for name in TABLES:
        (root / name).mkdir(parents=True)
        (root / name / "part-00000.parquet").write_bytes(b"PAR1")
    (root / SAMPLE_MARKER).write_text(json.dumps({"args": args}))


def test_sample_is_current_needs_same_args_and_every_table(tmp_path: Path) -> None:
    args = {"orders": 3000, "seed": 42}
    assert not sample_is_current(tmp_path, args)
    _fake_sample(tmp_path, args)
    assert sample_is_current(tmp_path, args)
    assert not sample_is_current(tmp_path, {"orders": 3000, "seed": 7})
    next((tmp_path / "fact_sales").glob("*.parquet")).unlink()
    assert not sample_is_current(tmp_path, args)


def test_sample_from_an_older_generator_is_not_current(tmp_path: Path) -> None:
    from toolkit.gold.sample import SAMPLE_GENERATOR_VERSION, sample_args

    current = sample_args(3000, 42)
    assert current["generator"] == SAMPLE_GENERATOR_VERSION
    _fake_sample(tmp_path, {"orders": 3000, "seed": 42})  # a marker written before the generator was versioned
    assert not sample_is_current(tmp_path, current)


def test_demo_steps_are_named_and_ordered() -> None:
    names = [step.name for step in STEPS]
    assert names[0] == "sandbox"  # everything after runs against the sandbox
    assert names.index("gold_sample") < names.index("publish") < names.index("schema")
    assert names.index("bucket") < names.index("publish")
    assert len(set(names)) == len(names)


def test_run_demo_runs_steps_in_order_and_stops_at_the_first_failure() -> None:
    from toolkit.errors import UsageError
    from toolkit.sandbox.demo_steps import DemoContext, DemoStep, StepResult, run_demo

    seen: list[str] = []

    def ok(name: str, status: str):  # type: ignore[no-untyped-def]
        def run(ctx: DemoContext) -> StepResult:
            seen.append(name)
            return StepResult(status, f"{name} ran")

        return DemoStep(name, name.title(), run)

    def boom(ctx: DemoContext) -> StepResult:
        raise UsageError("config.yaml: gold.local_dir is not set")

    reported: list[tuple[str, str]] = []
    ctx = DemoContext(loaded=None)  # type: ignore[arg-type]
    results = run_demo(ctx, [ok("a", "done"), ok("b", "skipped")], on_step=lambda s, r: reported.append((s.name, r.status)))
    assert list(results) == ["a", "b"] and reported == [("a", "done"), ("b", "skipped")]

    ctx = DemoContext(loaded=None)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="local_dir"):
        run_demo(ctx, [ok("a", "done"), DemoStep("bad", "Bad", boom), ok("never", "done")])
    assert seen == ["a", "b", "a"] and list(ctx.results) == ["a"]


def test_the_suite_never_sees_a_developers_sandbox() -> None:
    """`make demo` then `make test`: the demo's running sandbox under ./.fedkit must not leak into the tests."""
    from toolkit.sandbox.state import fedkit_home

    home = fedkit_home().resolve()
    repo = Path(__file__).resolve().parents[3]
    assert not home.is_relative_to(repo) and not home.is_relative_to(Path.cwd().resolve()), home
    for key in ("AWS_ENDPOINT_URL", "FEDKIT_MODE", "SNOWFLAKE_HOME"):
        assert key not in os.environ, key


def test_fedkit_home_that_is_a_file_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    home = tmp_path / "not-a-folder"
    home.write_text("x")
    monkeypatch.setenv("FEDKIT_HOME", str(home))
    for command in (["up"], ["status"], ["down"], ["env"]):
        result = cli("sandbox", *command)
        assert result.exit_code == 2, (command, result.stderr)
        assert result.stderr.strip() == f"error: FEDKIT_HOME {home} is a file, not a folder: point FEDKIT_HOME at a folder"
    assert home.read_text() == "x"


def test_negative_timeouts_are_refused_before_anything_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    result = cli("sandbox", "up", "--timeout", "-1")
    assert result.exit_code == 2 and "--timeout" in result.stderr
    assert not (tmp_path / "home").exists()


def test_cleaning_stale_state_keeps_a_healthy_survivor_and_says_what_each_stop_loses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A healthy survivor is kept (moto's state is only in its memory); a stopped or vanished server's message says
    what its state becomes."""
    from toolkit.sandbox import manager

    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    stopped: list[int] = []
    monkeypatch.setattr(manager.process, "stop", lambda pid, timeout: stopped.append(pid) or "terminated")
    current = _status(stale=True)
    hung = ServiceStatus("fakesnow", "fakesnow", 13, "127.0.0.1", 5003, "http://127.0.0.1:5003", None, True, False)
    assert manager._clean_stale(current) == [
        "moto: recorded pid 11 is gone (stale state): its AWS state (buckets, roles, queues: kept in its memory only) "
        "is lost",
        "fakesnow: pid 12 runs and answers; kept (its state with it)",
        f"removed stale {manager.display_path(state.state_file())}",
    ]
    current.services[1] = hung
    assert manager._clean_stale(current)[1] == (
        "fakesnow: pid 13 was running but not answering; terminated: its Snowflake databases are kept on disk")
    assert stopped == [13]


def test_corrupt_state_file_is_named_with_its_reset_not_reported_as_not_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "sandbox.json").write_text('{"moto": {"pid": 1,\n')  # a crash halfway through a hand edit
    monkeypatch.setenv("FEDKIT_HOME", str(home))
    expected = (
        f"error: {home / 'sandbox.json'}: sandbox state file is unreadable (invalid JSON at line 2 column 1); "
        "reset it with `fedkit sandbox down` (removes it) then `fedkit sandbox up`"
    )
    for command in (["status"], ["env"]):
        result = cli("sandbox", *command)
        assert (result.exit_code, result.stderr.strip()) == (2, expected), command
    monkeypatch.setenv("FEDKIT_MODE", "sandbox")
    with pytest.raises(state.SandboxStateUnreadable):  # not silently "cloud" or "no sandbox"
        state.sandbox_aws_settings()

    reset = cli("sandbox", "down")
    assert reset.exit_code == 0
    assert "removed the unreadable" in reset.stdout and "invalid JSON at line 2 column 1" in reset.stdout
    assert not (home / "sandbox.json").exists()
    assert "sandbox is not running" in cli("sandbox", "status").stdout


@pytest.mark.parametrize("text", ["[1, 2]", "\xff\xfe"])
def test_state_that_is_not_a_json_object_is_unreadable(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path))
    (tmp_path / "sandbox.json").write_bytes(text.encode("latin-1"))
    with pytest.raises(state.SandboxStateUnreadable, match="sandbox state file is unreadable"):
        state.read_state()


def test_a_dead_sandbox_moto_is_named_before_any_client_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.sandbox.process import free_port

    endpoint = f"http://127.0.0.1:{free_port()}"  # nobody listens there: the recorded server was killed
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path))
    monkeypatch.setenv("FEDKIT_MODE", "sandbox")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    state.write_state({"moto": {"endpoint": endpoint, "pid": 4242, "port": 1}})
    with pytest.raises(state.SandboxDown) as caught:
        state.sandbox_aws_settings()
    assert str(caught.value) == (
        f"the sandbox's AWS endpoint {endpoint} (moto, pid 4242) does not answer; restart the sandbox with "
        "`fedkit sandbox up` (`fedkit sandbox status` shows what runs)"
    )
    # An explicit AWS_ENDPOINT_URL elsewhere is what boto3 will use: the dead recorded one is not checked then.
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    assert state.sandbox_aws_settings()["endpoint_url"] == endpoint


def test_servers_answer_as_the_requested_account_whatever_the_shell_had(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.sandbox.manager import _child_env

    monkeypatch.setenv("MOTO_ACCOUNT_ID", "999999999999")
    assert _child_env("210987654321")["MOTO_ACCOUNT_ID"] == "210987654321"
    assert _child_env()["MOTO_ACCOUNT_ID"] == state.SANDBOX_DEFAULT_ACCOUNT_ID == "123456789012"


def test_sandbox_account_id_comes_from_the_recorded_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path))
    assert state.sandbox_account_id() == "123456789012"  # nothing recorded (or a sandbox from an older fedkit)
    state.write_state({"moto": {"port": 1, "account_id": "210987654321"}})
    assert state.sandbox_account_id() == "210987654321"


def test_account_mismatch_says_how_to_fix_it_in_each_mode() -> None:
    from toolkit.iam.role_target import account_mismatch_message

    sandbox = account_mismatch_message("123456789012", "210987654321", Path("conf/f.yaml"), sandbox=True)
    assert sandbox.startswith("the sandbox answers as AWS account 123456789012, but aws.account_id is 210987654321")
    assert "fedkit --config conf/f.yaml sandbox up" in sandbox
    cloud = account_mismatch_message("123456789012", "210987654321", Path("conf/f.yaml"), sandbox=False)
    assert "AWS_PROFILE" in cloud and "sandbox" not in cloud


def test_demo_starts_the_sandbox_as_the_configs_aws_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """apply checks the caller's account against aws.account_id: the demo's sandbox must answer as that account."""
    from toolkit.config import load_config
    from toolkit.sandbox import demo_steps, manager

    path = tmp_path / "federation.yaml"
    path.write_text("gold:\n  bucket: my-gold\naws:\n  account_id: '111122223333'\n  region: eu-west-1\n")
    asked: list[str | None] = []

    def fake_up(account_id: str | None = None, **_: object) -> manager.UpResult:
        asked.append(account_id)
        raise RuntimeError("stop here: only the arguments matter")

    monkeypatch.setattr(manager, "up", fake_up)
    with pytest.raises(RuntimeError, match="stop here"):
        demo_steps.step_sandbox(demo_steps.DemoContext(loaded=load_config(path)))
    assert asked == ["111122223333"]


def _sh(script: str, **env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SNOWFLAKE_", "FEDKIT_MODE"))}
    return subprocess.run(["sh", "-c", script], capture_output=True, text=True, check=True,
                          env={**clean, **env}).stdout.splitlines()


SHOW = 'for k in AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SESSION_TOKEN AWS_ENDPOINT_URL FEDKIT_MODE; do eval "echo $k=\\${$k-unset}"; done'


def test_unset_exports_restore_the_shell_sandbox_env_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`eval "$(fedkit sandbox env)"` then `eval "$(fedkit sandbox env --unset)"`: the shell is as before, AWS_PROFILE
    and the real keys included, and what was not set is unset again (issue 12 item 5)."""
    from toolkit.sandbox.manager import shell_unsets

    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    exports, unsets = shell_exports(sandbox_env("us-east-1", _status())), shell_unsets()
    before = {"AWS_PROFILE": "prod", "AWS_ACCESS_KEY_ID": "AKIAREAL", "AWS_SESSION_TOKEN": "tok"}
    inside = _sh(exports + SHOW, **before)
    assert inside == ["AWS_PROFILE=unset", "AWS_ACCESS_KEY_ID=fedkit-sandbox", "AWS_SESSION_TOKEN=unset",
                      "AWS_ENDPOINT_URL=http://127.0.0.1:5001", "FEDKIT_MODE=sandbox"]
    # Twice `sandbox env` (a second eval must not save the sandbox's values over the real ones), then --unset.
    restored = _sh(exports + exports + unsets + SHOW, **before)
    assert restored == ["AWS_PROFILE=prod", "AWS_ACCESS_KEY_ID=AKIAREAL", "AWS_SESSION_TOKEN=tok",
                        "AWS_ENDPOINT_URL=unset", "FEDKIT_MODE=unset"]
    # The saved values never reach a child process (they are shell variables, not exported).
    assert "AKIAREAL" not in "\n".join(_sh(exports + "env", **before))


def test_unset_in_a_shell_that_never_ran_sandbox_env_changes_nothing() -> None:
    from toolkit.sandbox.manager import shell_unsets

    before = {"AWS_PROFILE": "prod", "AWS_ACCESS_KEY_ID": "AKIAREAL", "FEDKIT_MODE": "cloud"}
    assert _sh(shell_unsets() + SHOW, **before) == [
        "AWS_PROFILE=prod", "AWS_ACCESS_KEY_ID=AKIAREAL", "AWS_SESSION_TOKEN=unset", "AWS_ENDPOINT_URL=unset",
        "FEDKIT_MODE=cloud"]
