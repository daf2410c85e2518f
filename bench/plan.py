"""Benchmark: what `fedkit plan` costs in AWS requests and seconds on a gold layer of 10,000 files (sandbox).

    python -m bench plan                # or: python bench/plan.py [--files N] [--partitions P] [--no-baseline]

Everything runs in this process on 127.0.0.1: a moto server (S3, IAM, STS, SQS, SNS) behind the counting proxy of
tests/faults/proxy.py (it sees boto3's and pyarrow's requests alike), a fakesnow server, ZetaSQL for BigQuery. Two
layers: the sample gold layer (`fedkit gold sample`, 41 files; its plan also warms the imports), and `events`,
`--files` tiny Parquet files in `--partitions` hive partitions, put straight into moto (the same bytes each: the
files' content is not what a plan reads). Runs, each a full `fedkit plan --output json`:

    sample layer, cold     the reference: 41 files
    N files, cold          empty footer cache: a sample of footers per partition, one listing page per 1,000 files
    N files, warm          the footer cache from the cold run: no footer read
    N files, every footer  the baseline: every footer read, no cache (the per-file read of before, minus its HEAD
                           per file and its second reading per run, so a lower bound of the old cost)

Prints requests (all AWS, and GetObject alone) and wall time for each, and ratios against the baseline; asserts
nothing about time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import socket
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parent.parent
REGION = "us-east-1"

CONFIG = """version: 1
gold:
  bucket: {bucket}
  prefix: gold/
  local_dir: {local}
aws:
  account_id: "123456789012"
  region: us-east-1
  role_name: fedkit-bench-reader
bigquery:
  project: fedkit-bench
  location: aws-us-east-1
  dataset: gold
  connection_id: fedkit_gold
snowflake:
  database: BENCH_{suffix}
  schema: GOLD
  integration: BENCH_INT_{suffix}
  stage: GOLD_STAGE
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def sandbox(home: Path) -> Iterator[Any]:
    """moto behind the counting proxy, and fakesnow, recorded as the running sandbox; yields the proxy."""
    sys.path.insert(0, str(REPO / "tests" / "faults"))
    from proxy import FaultProxy  # test code: the fault-injection proxy, used here only to count

    import fakesnow
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    os.environ.update({"FEDKIT_HOME": str(home), "FEDKIT_MODE": "sandbox", "AWS_ACCESS_KEY_ID": "bench",
                       "AWS_SECRET_ACCESS_KEY": "bench", "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION})
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(key, None)
    port = _free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    try:
        with FaultProxy(f"http://127.0.0.1:{port}", lifetime=3600) as proxy, \
                fakesnow.server(host="127.0.0.1", session_parameters={"TIMEZONE": "UTC"}) as snow:
            from toolkit.sandbox.state import write_state

            os.environ["AWS_ENDPOINT_URL"] = proxy.endpoint
            write_state({"moto": {"endpoint": proxy.endpoint},
                         "fakesnow": {"host": snow["host"], "port": snow["port"]}})
            yield proxy
    finally:
        moto.stop()


def sample_layer(root: Path) -> Path:
    """The sample gold layer, published to its own bucket; returns the config path."""
    from toolkit.config import load_config
    from toolkit.gold.publish import ensure_bucket, publish
    from toolkit.gold.sample import write_sample

    write_sample(root / "gold", orders=200, seed=3)
    config = _config(root, "fedkit-bench-sample", root / "gold")
    ensure_bucket("fedkit-bench-sample", REGION)
    publish(load_config(config), delete=True)
    return config


def many_files_layer(root: Path, files: int, partitions: int, direct: str) -> Path:
    """`events`: `files` tiny Parquet files in `partitions` day partitions, put into S3 in parallel."""
    import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    from toolkit.aws import aws_client
    from toolkit.gold.publish import ensure_bucket

    bucket = "fedkit-bench-many"
    ensure_bucket(bucket, REGION)
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table({"id": pa.array([1], pa.int64()), "kind": ["click"]}), sink)
    body = sink.getvalue().to_pybytes()
    first = datetime.date(2024, 1, 1)
    keys = [f"gold/events/day={first + datetime.timedelta(days=i % partitions)}/part-{i // partitions:05d}.parquet"
            for i in range(files)]
    s3 = aws_client("s3", endpoint_url=direct)  # straight to moto: generating is not what is measured
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda key: s3.put_object(Bucket=bucket, Key=key, Body=body), keys))
    print(f"put {files:,} files in {partitions:,} partitions into s3://{bucket}/gold/events in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    (root / "local").mkdir(parents=True, exist_ok=True)
    return _config(root, bucket, root / "local")


def proxy_upstream(proxy: Any) -> str:
    host, port = proxy.upstream
    return f"http://{host}:{port}"


def _config(root: Path, bucket: str, local: Path) -> Path:
    path = root / f"{bucket}.yaml"
    path.write_text(CONFIG.format(bucket=bucket, local=local, suffix=uuid.uuid4().hex[:8].upper()), encoding="utf-8")
    return path


def plan(proxy: Any, config: Path, cold: bool) -> tuple[Counter, float]:
    """(AWS requests by action, seconds) of one `fedkit plan --output json`."""
    from toolkit.cli import run
    from toolkit.gold.footer_cache import default_path

    if cold:
        default_path().unlink(missing_ok=True)
    proxy.clear()
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()) as err:
        code = run(["plan", "--output", "json", "--config", str(config)])
    seconds = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"fedkit plan exited {code}: {err.getvalue().strip() or out.getvalue()[:500]}")
    return Counter(a for a in proxy.actions() if not a.startswith("http:")), seconds


@contextlib.contextmanager
def every_footer() -> Iterator[None]:
    """The baseline: no sample (every file's footer) and no cache."""
    from toolkit.gold import footer_cache, schema

    class NoCache(footer_cache.FooterCache):
        def get(self, *args: Any) -> None:
            return None

        def save(self) -> None:
            pass

    saved = schema.footer_sample, footer_cache.FooterCache
    schema.footer_sample, footer_cache.FooterCache = (lambda files: list(files)), NoCache
    try:
        yield
    finally:
        schema.footer_sample, footer_cache.FooterCache = saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench plan", description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--partitions", type=int, default=100)
    parser.add_argument("--no-baseline", action="store_true", help="skip the every-footer run (the slow one)")
    args = parser.parse_args(argv)
    if args.files < 1 or not 1 <= args.partitions <= args.files:
        parser.error("need --files >= 1 and 1 <= --partitions <= --files")

    rows = []
    with tempfile.TemporaryDirectory(prefix="fedkit-bench-plan-") as tmp, sandbox(Path(tmp) / "home") as proxy:
        root = Path(tmp)
        small = sample_layer(root / "sample")
        rows.append(("sample layer (41 files), cold", *plan(proxy, small, cold=True)))
        many = many_files_layer(root / "many", args.files, args.partitions, proxy_upstream(proxy))
        label = f"{args.files:,} files"
        rows.append((f"{label}, cold", *plan(proxy, many, cold=True)))
        rows.append((f"{label}, warm", *plan(proxy, many, cold=False)))
        if not args.no_baseline:
            with every_footer():
                rows.append((f"{label}, every footer", *plan(proxy, many, cold=True)))

    baseline = rows[-1] if not args.no_baseline else None
    print(f"fedkit plan on the sandbox: {args.files:,} files in {args.partitions:,} partitions (+ the sample layer)")
    print()
    print(f"{'run':<34}{'requests':>10}{'GetObject':>11}{'HeadObject':>12}{'seconds':>9}{'x requests':>12}"
          f"{'x time':>8}")
    for name, counts, seconds in rows:
        total = sum(counts.values())
        ratio = (f"{total / sum(baseline[1].values()):>12.3f}{seconds / baseline[2]:>8.2f}" if baseline else "")
        print(f"{name:<34}{total:>10,}{counts['s3:GetObject']:>11,}{counts['s3:HeadObject']:>12,}{seconds:>9.1f}"
              f"{ratio}")
    print()
    cold = rows[1]
    print(f"cold plan on {args.files:,} files: {sum(cold[1].values()):,} requests in {cold[2]:.1f} s"
          + (f" ({sum(baseline[1].values()) / max(1, sum(cold[1].values())):.0f}x fewer requests than reading every "
             "footer)" if baseline else ""))
    print("requests by action, cold:", ", ".join(f"{a} {n}" for a, n in cold[1].most_common()))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main(sys.argv[1:]))
