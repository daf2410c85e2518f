"""What `fedkit plan` costs in S3 requests does not grow with the number of files (issue 12 item 9).

Requests are counted by the fault-injection proxy (tests/faults/proxy.py) between fedkit and moto: it sees boto3's and
pyarrow's requests alike. The layer: the sample's fact_sales (one file per month) and `events`, 60 files in 3
partitions. Before, `plan` read every footer twice (once per engine target) with a HEAD and a GET each: 4 requests
per file, 240 for `events` alone.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "faults"))
from proxy import FaultProxy  # noqa: E402

BUCKET = "fedkit-demo-gold"
DAYS = ("2024-01-01", "2024-01-02", "2024-01-03")
PER_DAY = 20


def _events(local: Path) -> None:
    for entry in local.iterdir():
        if entry.name != "fact_sales":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for day in DAYS:
        folder = local / "events" / f"day={day}"
        folder.mkdir(parents=True)
        for i in range(PER_DAY):
            pq.write_table(pa.table({"id": pa.array([i], pa.int64()), "kind": ["click"]}),
                           folder / f"part-{i:05d}.parquet")


@pytest.fixture
def counted(sandbox_project, monkeypatch, tmp_path):
    """(cli args for plan, proxy counting every AWS request, number of fact_sales files)."""
    loaded = sandbox_project(orders=20, prepare=_events)
    facts = len(list((tmp_path / "gold" / "fact_sales").rglob("*.parquet")))
    with FaultProxy(os.environ["AWS_ENDPOINT_URL"], lifetime=300) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.endpoint)
        yield ("plan", "--output", "json", "--config", str(loaded.path)), proxy, facts


def _s3(proxy: FaultProxy) -> Counter:
    return Counter(a for a in proxy.actions() if a.startswith("s3:"))


def test_plan_reads_a_bounded_sample_once_then_nothing_from_a_warm_cache(cli, counted) -> None:
    plan, proxy, facts = counted
    cold = cli(*plan)
    assert cold.exit_code == 0, cold.stderr
    requests = _s3(proxy)
    # fact_sales has one file per partition (all read), events two per partition; one read per run, no HEAD a file.
    assert requests["s3:GetObject"] == facts + 2 * len(DAYS), requests
    assert requests["s3:HeadObject"] <= 2, requests  # the table folders, not the files
    assert sum(requests.values()) < 2 * (facts + 60), requests  # the old code: 4 per file, over 4 * (facts + 60)

    proxy.clear()
    warm = cli(*plan)
    assert warm.exit_code == 0 and json.loads(warm.stdout) == json.loads(cold.stdout)
    assert _s3(proxy)["s3:GetObject"] == 0, _s3(proxy)  # every footer of the sample answered by the cache


def test_a_changed_file_is_read_again_and_its_drift_reported(cli, counted) -> None:
    from toolkit.aws import aws_client

    plan, proxy, _ = counted
    assert cli(*plan).exit_code == 0
    s3 = aws_client("s3")
    key = f"gold/events/day={DAYS[1]}/part-00007.parquet"
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table({"id": pa.array([70, 71], pa.int64()), "kind": ["view", "view"]}), sink)
    s3.put_object(Bucket=BUCKET, Key=key, Body=sink.getvalue().to_pybytes())  # same schema, new ETag, now the newest

    proxy.clear()
    assert cli(*plan).exit_code == 0
    assert _s3(proxy)["s3:GetObject"] == 1, proxy.actions()  # only the changed file

    sink = pa.BufferOutputStream()
    pq.write_table(pa.table({"id": pa.array(["x"]), "kind": ["view"]}), sink)
    s3.put_object(Bucket=BUCKET, Key=key, Body=sink.getvalue().to_pybytes())  # drift under a known key
    proxy.clear()
    drift = cli(*plan)
    assert drift.exit_code == 2, drift.stdout + drift.stderr
    assert f"s3://{BUCKET}/{key}" in drift.stderr and "column 'id'" in drift.stderr, drift.stderr
    assert _s3(proxy)["s3:GetObject"] == 1


def test_a_file_rewritten_between_the_listing_and_its_read_is_not_cached_under_the_old_etag(cli, counted,
                                                                                          monkeypatch) -> None:
    from toolkit.aws import aws_client
    from toolkit.gold import footers

    monkeypatch.setattr(footers, "_FOOTER_THREADS", 1)  # one GET at a time: the rewrite lands before the newest's GET
    plan, proxy, _ = counted
    key = f"gold/events/day={DAYS[0]}/part-{PER_DAY - 1:05d}.parquet"  # the newest of its partition: in the sample
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table({"id": pa.array(["rewritten"]), "kind": ["x"]}), sink)
    body = sink.getvalue().to_pybytes()
    # Directly against moto (not through the proxy): the object changes after the listing, before the GETs.
    direct = aws_client("s3", endpoint_url=f"http://{proxy.upstream[0]}:{proxy.upstream[1]}")
    proxy.on("s3:GetObject", lambda: direct.put_object(Bucket=BUCKET, Key=key, Body=body))
    result = cli(*plan)
    assert result.exit_code == 1, result.stdout + result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert f"s3://{BUCKET}/{key}: changed while fedkit read it" in line, line
    proxy.clear()
    again = cli(*plan)  # the next listing shows the new ETag: the drifted file is read and named
    assert again.exit_code == 2 and f"s3://{BUCKET}/{key}" in again.stderr, again.stderr
