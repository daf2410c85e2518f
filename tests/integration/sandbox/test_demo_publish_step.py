"""The demo's publish step against a real moto server: S3 ends up equal to the gold folder, whatever came before."""

from __future__ import annotations

from pathlib import Path

from toolkit.config import load_config
from toolkit.gold.publish import ensure_bucket
from toolkit.gold.sample import write_sample
from toolkit.gold.schema import read_catalog
from toolkit.sandbox.demo_steps import DemoContext, step_publish


def test_smaller_sample_after_a_bigger_one_leaves_no_old_partition_in_s3(aws: str, tmp_path: Path) -> None:
    local = tmp_path / "gold"
    config = tmp_path / "federation.yaml"
    config.write_text(
        f"gold:\n  bucket: fedkit-demo-step\n  local_dir: {local}\naws:\n  account_id: '123456789012'\n  region: us-east-1\n"
    )
    loaded = load_config(config)
    ensure_bucket("fedkit-demo-step", "us-east-1")
    write_sample(local, orders=400, seed=1)
    assert step_publish(DemoContext(loaded=loaded)).status == "done"
    assert step_publish(DemoContext(loaded=loaded)).status == "skipped"

    tables = write_sample(local, orders=3, seed=1)  # a few orders: most order months disappear locally
    result = step_publish(DemoContext(loaded=loaded))
    assert result.status == "done" and result.data["deleted"] > 0 and "stale deleted" in result.detail
    in_s3 = {t.name: t.row_count for t in read_catalog(loaded, source="s3").tables}
    assert in_s3 == tables
