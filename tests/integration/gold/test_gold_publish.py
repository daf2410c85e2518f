"""Publishing the gold folder to S3 (a real moto server through boto3), and reading it back with pyarrow's S3."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.aws import aws_client
from toolkit.config import LoadedConfig, load_config
from toolkit.errors import CloudError, UsageError
from toolkit.gold import publish as publish_module
from toolkit.gold.data import read_table_data
from toolkit.gold.publish import SHA256_METADATA, ensure_bucket, publish
from toolkit.gold.sample import write_sample
from toolkit.gold.schema import read_catalog

BUCKET = "fedkit-test-gold"


def _loaded(tmp_path: Path, local: Path, prefix: str = "gold/") -> LoadedConfig:
    path = tmp_path / "federation.yaml"
    path.write_text(
        f"version: 1\ngold:\n  bucket: {BUCKET}\n  prefix: {prefix}\n  local_dir: {local}\n"
        "  tables:\n    fact_sales:\n      partition_columns: [order_month]\n"
        "aws:\n  account_id: '123456789012'\n  region: us-east-1\n"
    )
    return load_config(path)


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    out = tmp_path / "gold"
    write_sample(out, orders=400, seed=3)
    (out / "fact_sales" / "_SUCCESS").write_text("")
    return out


def test_ensure_bucket_is_idempotent(aws: str) -> None:
    assert ensure_bucket(BUCKET, "us-east-1") is True
    assert ensure_bucket(BUCKET, "us-east-1") is False
    assert ensure_bucket("fedkit-test-eu", "eu-west-1") is True
    location = aws_client("s3").get_bucket_location(Bucket="fedkit-test-eu")["LocationConstraint"]
    assert location == "eu-west-1"


def test_publish_without_bucket_says_how_to_create_it(aws: str, tmp_path: Path, gold: Path) -> None:
    with pytest.raises(CloudError, match=f"bucket {BUCKET} does not exist: create it \\(`aws s3 mb s3://{BUCKET}`.*--create-bucket.*fedkit demo"):
        publish(_loaded(tmp_path, gold))


def test_publish_create_bucket_creates_it_once(aws: str, tmp_path: Path, gold: Path) -> None:
    loaded = _loaded(tmp_path, gold)
    first = publish(loaded, create_bucket=True)
    assert first.created_bucket and first.uploaded == first.files > 0
    again = publish(loaded, create_bucket=True)
    assert not again.created_bucket and again.uploaded == 0 and again.skipped == first.files


def test_publish_without_local_dir(aws: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="fedkit gold sample"):
        publish(_loaded(tmp_path, tmp_path / "nowhere"))


def test_publish_twice_then_a_changed_file(aws: str, tmp_path: Path, gold: Path) -> None:
    ensure_bucket(BUCKET, "us-east-1")
    loaded = _loaded(tmp_path, gold)
    data_files = sorted(p for p in gold.rglob("*.parquet"))
    seen: list[tuple[int, int]] = []

    first = publish(loaded, progress=lambda done, total: seen.append((done, total)))
    assert (first.files, first.uploaded, first.skipped) == (len(data_files), len(data_files), 0)
    assert first.bytes_uploaded == sum(p.stat().st_size for p in data_files)
    assert sum(done for done, _ in seen) == first.bytes_uploaded and {t for _, t in seen} == {first.bytes_uploaded}
    s3 = aws_client("s3")
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="gold/")["Contents"])
    assert keys == sorted("gold/" + p.relative_to(gold).as_posix() for p in data_files)  # no _SUCCESS
    head = s3.head_object(Bucket=BUCKET, Key="gold/dim_region/part-00000.parquet")
    assert len(head["Metadata"][SHA256_METADATA]) == 64

    second = publish(loaded)
    assert (second.uploaded, second.skipped, second.bytes_uploaded) == (0, len(data_files), 0)

    changed = gold / "dim_region" / "part-00000.parquet"
    changed.write_bytes(changed.read_bytes()[:-8] + b"\x00" * 8)  # same size, different content
    third = publish(loaded)
    assert third.uploaded_keys == ("gold/dim_region/part-00000.parquet",)
    assert (third.uploaded, third.skipped) == (1, len(data_files) - 1)
    assert third.to_json()["uploaded_keys"] == ["gold/dim_region/part-00000.parquet"]


def test_multipart_objects_are_recognised_by_their_sha256(
    aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publish_module, "MULTIPART_THRESHOLD", 5 * 1024 * 1024)
    monkeypatch.setattr(publish_module, "MULTIPART_CHUNK", 5 * 1024 * 1024)
    local = tmp_path / "big"
    (local / "blob").mkdir(parents=True)
    (local / "blob" / "part-00000.parquet").write_bytes(os.urandom(6 * 1024 * 1024))
    ensure_bucket(BUCKET, "us-east-1")
    loaded = _loaded(tmp_path, local, prefix="multi/")
    assert publish(loaded).uploaded == 1
    etag = aws_client("s3").head_object(Bucket=BUCKET, Key="multi/blob/part-00000.parquet")["ETag"]
    assert "-" in etag, "uploaded in parts, so the ETag is not an MD5"
    again = publish(loaded)
    assert (again.uploaded, again.skipped) == (0, 1)


def test_s3_catalog_equals_the_local_one(aws: str, tmp_path: Path, gold: Path) -> None:
    ensure_bucket(BUCKET, "us-east-1")
    loaded = _loaded(tmp_path, gold)
    publish(loaded)
    local, remote = read_catalog(loaded, "local"), read_catalog(loaded, "s3")
    assert remote.names == local.names
    for here, there in zip(local.tables, remote.tables):
        assert there.location == f"s3://{BUCKET}/gold/{here.name}"
        assert (there.columns, there.row_count, there.bytes, there.files) == (
            here.columns, here.row_count, here.bytes, here.files,
        )
    facts = remote.table("fact_sales")
    rows = read_table_data(facts, columns=["order_month", "amount"])
    assert rows.num_rows == facts.row_count
    assert str(rows.schema.field("order_month").type) == "date32[day]"
    assert read_table_data(facts, limit=5).equals(read_table_data(local.table("fact_sales"), limit=5))


def test_s3_catalog_before_publish(aws: str, tmp_path: Path, gold: Path) -> None:
    loaded = _loaded(tmp_path, gold)
    with pytest.raises(CloudError, match=BUCKET):
        read_catalog(loaded, "s3")
    ensure_bucket(BUCKET, "us-east-1")
    with pytest.raises(UsageError, match="fedkit gold publish"):
        read_catalog(loaded, "s3")


def test_stale_objects_are_listed_and_deleted_only_when_asked(aws: str, tmp_path: Path, gold: Path) -> None:
    """A smaller sample after a bigger one: old partitions stay in S3 and every engine would still read them."""
    import shutil

    ensure_bucket(BUCKET, "us-east-1")
    loaded = _loaded(tmp_path, gold)
    publish(loaded)
    s3 = aws_client("s3")
    s3.put_object(Bucket=BUCKET, Key="gold/fact_sales/_SUCCESS", Body=b"")  # Spark's marker: never stale
    gone = sorted(p for p in (gold / "fact_sales").iterdir() if p.is_dir())[:2]
    for folder in gone:
        shutil.rmtree(folder)
    expected_stale = tuple(sorted(f"gold/fact_sales/{folder.name}/part-00000.parquet" for folder in gone))

    kept = publish(loaded)
    assert kept.stale_keys == expected_stale and kept.deleted == 0
    assert kept.to_json()["stale_keys"] == list(expected_stale)
    remote = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="gold/")["Contents"]}
    assert set(expected_stale) <= remote

    cleaned = publish(loaded, delete=True)
    assert cleaned.stale_keys == expected_stale and cleaned.deleted == 2 and cleaned.uploaded == 0
    remote = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="gold/")["Contents"]}
    local = {"gold/" + p.relative_to(gold).as_posix() for p in gold.rglob("*.parquet")}
    assert remote == local | {"gold/fact_sales/_SUCCESS"}
    assert publish(loaded, delete=True).stale_keys == ()
