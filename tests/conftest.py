"""Session-wide test servers on 127.0.0.1 (started and stopped inside the test session) and CLI helpers."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

# Tests never reach a real cloud: dummy credentials everywhere, whatever the developer's shell has.
_DUMMY_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}
for _key in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "GOOGLE_APPLICATION_CREDENTIALS"):
    os.environ.pop(_key, None)
os.environ.update(_DUMMY_AWS)
os.environ.setdefault("FEDKIT_NO_COLOR", "1")
# Progress lines (toolkit.cli.progress) start after 2 s outside a terminal: on a busy runner that timing would add
# stray stderr lines to tests that pin stderr. Tests of progress set FEDKIT_PROGRESS_AFTER themselves.
os.environ["FEDKIT_PROGRESS_AFTER"] = "3600"

# `make demo` leaves its sandbox running under ./.fedkit and `eval "$(fedkit sandbox env)"` exports its endpoint:
# neither may leak into the tests (they would talk to the demo's servers, or run in sandbox mode by accident).
# Every test starts from an empty FEDKIT_HOME of its own session; tests that need a sandbox start one there.
for _key in ("FEDKIT_MODE", "FEDKIT_CONFIG", "AWS_ENDPOINT_URL", "SNOWFLAKE_HOME", "SNOWFLAKE_DEFAULT_CONNECTION_NAME"):
    os.environ.pop(_key, None)
os.environ["FEDKIT_HOME"] = tempfile.mkdtemp(prefix="fedkit-test-home-")
atexit.register(shutil.rmtree, os.environ["FEDKIT_HOME"], True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A real moto server (S3, IAM, STS, SQS, SNS) on loopback for the whole session."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point boto3 (and fedkit) at a freshly reset moto server; yields the endpoint URL."""
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST"), timeout=10).read()
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    yield moto_endpoint


@pytest.fixture(scope="session")
def fakesnow_kwargs() -> Iterator[dict]:
    """snowflake-connector-python connect() kwargs for a fakesnow server on loopback for the whole session."""
    import fakesnow

    with fakesnow.server(host="127.0.0.1", session_parameters={"TIMEZONE": "UTC"}) as kwargs:
        yield kwargs


HANG_SECONDS = 30.0  # a wall-clock guard only: no refusal waits on anything, so past this it hangs


@pytest.fixture
def budget():
    """`with budget(2.0): ...` asserts the block used less than 2 s of this process's CPU time and ended
    within HANG_SECONDS of wall time.

    Why CPU time: a bound like "refused within 2 s" is about the work fedkit does, which the code controls (the
    template renderer's own deadline is CPU time); wall time also counts the other processes of a loaded machine
    or of a parallel test run (two test workers on two cores), and a 2 s wall bound failed there with 1 s of work.
    """
    import time
    from contextlib import contextmanager

    @contextmanager
    def within(cpu_seconds: float):
        cpu, wall = time.process_time(), time.monotonic()
        yield
        cpu, wall = time.process_time() - cpu, time.monotonic() - wall
        assert cpu < cpu_seconds, f"used {cpu:.2f} s of CPU (bound {cpu_seconds:g} s)"
        assert wall < HANG_SECONDS, f"took {wall:.2f} s of wall time"

    return within


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run `fedkit ARGS...` in-process through the same edge as the console script (errors -> exit codes)."""
    from toolkit.cli import run

    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


SANDBOX_PROJECT_CONFIG = """\
version: 1
gold:
  bucket: fedkit-demo-gold
  prefix: gold/
  local_dir: {local}
  tables:
    fact_sales:
      partition_columns: [order_month]
aws:
  account_id: "123456789012"
  region: us-east-1
  role_name: fedkit-gold-reader
bigquery:
  project: fedkit-demo
  location: aws-us-east-1
  dataset: gold
  connection_id: fedkit_gold
snowflake:
  database: {database}
  schema: GOLD
  integration: {integration}
  stage: GOLD_STAGE
"""


@pytest.fixture
def sandbox_project(aws, fakesnow_kwargs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Factory for a project wired to the session's moto and fakesnow servers (as `fedkit sandbox up` would record
    them), with a published sample gold layer: `make(orders=, seed=, extra_yaml=, prepare=)` -> LoadedConfig.

    Snowflake objects get unique names: the fakesnow server is shared by the whole session.
    """
    import uuid

    from toolkit.sandbox.state import write_state

    monkeypatch.setenv("FEDKIT_MODE", "sandbox")
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    write_state({
        "moto": {"endpoint": aws},
        "fakesnow": {"host": fakesnow_kwargs["host"], "port": fakesnow_kwargs["port"]},
    })

    def make(*, orders: int = 200, seed: int = 3, extra_yaml: str = "", prepare=None):
        from toolkit.config import load_config
        from toolkit.gold.publish import ensure_bucket, publish
        from toolkit.gold.sample import write_sample

        local = tmp_path / "gold"
        write_sample(local, orders=orders, seed=seed)
        if prepare is not None:
            prepare(local)  # extra tables or files, before the publish
        suffix = uuid.uuid4().hex[:8].upper()
        path = tmp_path / "federation.yaml"
        path.write_text(
            SANDBOX_PROJECT_CONFIG.format(local=local, database=f"E2E_{suffix}", integration=f"E2E_INT_{suffix}")
            + extra_yaml
        )
        loaded = load_config(path)
        ensure_bucket("fedkit-demo-gold", "us-east-1")
        publish(loaded, delete=True)
        return loaded

    return make


@pytest.fixture(scope="session")
def local_gold_project(tmp_path_factory: pytest.TempPathFactory):
    """Factory for a project over a generated local gold layer (no server needed), with the shipped KPI suite unless
    told otherwise: `make(name, orders=400, seed=5, kpi_paths=None)` -> the path of its federation.yaml."""
    from toolkit.gold.sample import write_sample

    def make(name: str, orders: int = 400, seed: int = 5, kpi_paths: list[Path] | None = None) -> Path:
        root = tmp_path_factory.mktemp(name)
        write_sample(root / "gold", orders=orders, seed=seed)
        paths = ", ".join(str(p) for p in (kpi_paths or [REPO_ROOT / "sql" / "kpi"]))
        config = root / "federation.yaml"
        config.write_text(
            f"version: 1\ngold:\n  bucket: fedkit-{name.replace('_', '-')}\n  local_dir: {root / 'gold'}\n"
            "aws:\n  account_id: '123456789012'\n  region: us-east-1\n"
            "bigquery:\n  project: fedkit-demo\n  location: aws-us-east-1\n"
            "snowflake:\n  database: ANALYTICS\n  schema: GOLD\n"
            f"kpi:\n  paths: [{paths}]\n")
        return config

    return make


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """fedkit's wheel, built once per session from this checkout with the environment's setuptools (no build
    isolation: nothing is fetched from a package index while the tests run).

    Under pytest-xdist every worker asks for it; the build writes build/ and *.egg-info into the checkout, where two
    builds at once break each other. The workers take turns on a lock in the session's shared temp folder and the
    first one's wheel serves them all."""
    import fcntl
    import subprocess
    import sys

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # pytest-N/, above each worker's popen-gwN/
    out = shared / "wheel"
    repo = Path(__file__).resolve().parents[1]
    with open(shared / "wheel.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not list(out.glob("fedkit_gold-*.whl")):
            result = subprocess.run(
                [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w",
                 str(out), str(repo)], capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, result.stderr
    (built,) = out.glob("fedkit_gold-*.whl")  # `fedkit` on PyPI is another project
    return built
