"""`fedkit demo` as a list of named steps, each idempotent: a second run does nothing it need not, and says so.

A step is a function `(DemoContext) -> StepResult`. Later features append steps to `STEPS` (registration, per-engine
row counts, the KPI parity matrix) without touching the ones before. Every step runs against the sandbox: the first
one starts it and points this process's clients at it (as `eval "$(fedkit sandbox env)"` does for a shell).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from toolkit.errors import UsageError
from toolkit.gold.sample import SAMPLE_MARKER  # re-exported: write_sample keeps this marker up to date

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog

DEMO_ORDERS = 3000
DEMO_SEED = 42


@dataclass
class StepResult:
    status: str  # "done" or "skipped"
    detail: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class DemoContext:
    loaded: "LoadedConfig"
    orders: int = DEMO_ORDERS
    seed: int = DEMO_SEED
    # publish progress: (bytes done since last call, total bytes)
    progress: Callable[[int, int], None] | None = None
    catalog: "GoldCatalog | None" = None
    env: dict[str, str] = field(default_factory=dict)
    results: dict[str, StepResult] = field(default_factory=dict)
    parity: Any = None  # the ParityReport of the last step, for the text renderer

    @property
    def region(self) -> str:
        aws = self.loaded.config.aws
        return aws.region if aws is not None else "us-east-1"


@dataclass(frozen=True)
class DemoStep:
    name: str
    title: str
    run: Callable[[DemoContext], StepResult]


def step_sandbox(ctx: DemoContext) -> StepResult:
    """Start the sandbox (or find it running) and make this process one of its clients."""
    from toolkit.sandbox.manager import apply_env, sandbox_env, up

    aws = ctx.loaded.config.aws
    result = up(account_id=aws.account_id if aws is not None else None)  # apply checks the caller's account
    ctx.env = sandbox_env(ctx.region, result.status)
    apply_env(ctx.env)
    endpoints = {s.name: s.endpoint for s in result.status.services}
    where = ", ".join(f"{name} {endpoint}" for name, endpoint in endpoints.items())
    if result.started:
        return StepResult("done", f"started {where}", {"endpoints": endpoints, "messages": result.messages})
    return StepResult("skipped", f"already running: {where}", {"endpoints": endpoints})


def _sample_args(ctx: DemoContext) -> dict[str, Any]:
    from toolkit.gold.sample import sample_args

    return sample_args(ctx.orders, ctx.seed)


def sample_is_current(out_dir: Path, args: dict[str, Any]) -> bool:
    """True when `out_dir` holds every sample table and was written with exactly `args`."""
    from toolkit.gold.sample import TABLES

    try:
        marker = json.loads((out_dir / SAMPLE_MARKER).read_text())
    except (OSError, ValueError):
        return False
    if not isinstance(marker, dict) or marker.get("args") != args:
        return False
    return all(any((out_dir / name).rglob("*.parquet")) for name in TABLES)


def check_demo_target(out_dir: Path) -> None:
    """Refuse (UsageError, exit 2) a gold folder holding Parquet that is not fedkit's sample: the demo rewrites its
    sample tables there, and a team's gold layer is not fedkit's to overwrite or mix sample tables into."""
    from toolkit.gold.sample import TABLES

    if not out_dir.is_dir():
        return
    ours = (out_dir / SAMPLE_MARKER).is_file()
    for path in sorted(out_dir.rglob("*.parquet")):
        inside = path.relative_to(out_dir)
        if ours and inside.parts[0] in TABLES:
            continue
        raise UsageError(
            f"fedkit demo writes sample tables into gold.local_dir {out_dir}, which holds other Parquet ({inside}): "
            "the demo runs only with a config of its own (an empty gold.local_dir, e.g. .fedkit/gold); "
            "use `fedkit gold schema` and `fedkit validate` on your data"
        )


def step_gold_sample(ctx: DemoContext) -> StepResult:
    """Write the sample gold layer into gold.local_dir, unless the same sample is already there."""
    from toolkit.gold.sample import write_sample

    gold = ctx.loaded.config.gold
    if not gold.local_dir:
        raise UsageError(f"{ctx.loaded.path}: gold.local_dir is not set; the demo writes its sample gold data there")
    out_dir = ctx.loaded.resolve(gold.local_dir)
    args = _sample_args(ctx)
    if sample_is_current(out_dir, args):
        return StepResult("skipped", f"{gold.local_dir} already holds the sample ({ctx.orders} orders, seed {ctx.seed})", {"args": args})
    tables = write_sample(out_dir, orders=ctx.orders, seed=ctx.seed)  # also rewrites SAMPLE_MARKER
    rows = sum(tables.values())
    return StepResult("done", f"wrote {len(tables)} tables ({rows:,} rows) to {gold.local_dir}", {"args": args, "tables": tables})


def step_bucket(ctx: DemoContext) -> StepResult:
    """Create the gold bucket on the sandbox's S3 unless it exists."""
    from toolkit.gold.publish import ensure_bucket

    bucket = ctx.loaded.s3_bucket("fedkit demo (it publishes the sample to the sandbox's S3)")
    if ensure_bucket(bucket, ctx.region):
        return StepResult("done", f"created bucket s3://{bucket} ({ctx.region})", {"bucket": bucket, "created": True})
    return StepResult("skipped", f"bucket s3://{bucket} already exists", {"bucket": bucket, "created": False})


def step_publish(ctx: DemoContext) -> StepResult:
    """Make s3://bucket/prefix/ equal the gold folder: upload what changed, delete what a previous sample left.

    The demo only ever runs against the sandbox's S3, so deleting stale objects there is safe; a smaller sample after
    a bigger one would otherwise leave old partitions that every engine still reads.
    """
    from toolkit.gold.publish import publish

    summary = publish(ctx.loaded, progress=ctx.progress, delete=True)
    target = f"s3://{summary.bucket}/{summary.prefix}"
    if summary.uploaded == 0 and summary.deleted == 0:
        return StepResult("skipped", f"all {summary.files} files already in {target}", summary.to_json())
    detail = f"uploaded {summary.uploaded} of {summary.files} files ({summary.bytes_uploaded:,} bytes) to {target}"
    if summary.skipped:
        detail += f", {summary.skipped} unchanged"
    if summary.deleted:
        detail += f", {summary.deleted} stale deleted"
    return StepResult("done", detail, summary.to_json())


def step_schema(ctx: DemoContext) -> StepResult:
    """Read the published tables' schemas back from S3 (what the engines will see)."""
    from toolkit.gold.schema import read_catalog

    ctx.catalog = read_catalog(ctx.loaded, source="s3")
    names = ", ".join(ctx.catalog.names)
    return StepResult("done", f"{len(ctx.catalog.tables)} tables in S3: {names}", {"tables": list(ctx.catalog.names)})


STEPS: list[DemoStep] = [
    DemoStep("sandbox", "Start the sandbox", step_sandbox),
    DemoStep("gold_sample", "Write sample gold data", step_gold_sample),
    DemoStep("bucket", "Create the gold bucket", step_bucket),
    DemoStep("publish", "Publish gold to S3", step_publish),
    DemoStep("schema", "Read the gold schema from S3", step_schema),
    DemoStep("register", "Register the tables (fedkit apply --yes)", lambda ctx: _registration().step_register(ctx)),
    DemoStep("row_counts", "Count fact_sales on each engine", lambda ctx: _registration().step_row_counts(ctx)),
    DemoStep("parity", "Prove KPI parity on every configured engine", lambda ctx: _parity().step_parity(ctx)),
]


def _registration() -> Any:
    """The registration demo steps (issue 4), imported when they run so this module stays light."""
    import importlib

    return importlib.import_module("toolkit.registration.demo")


def _parity() -> Any:
    """The KPI parity step (issue 5): the whole suite on the three engines' semantics, imported when it runs."""
    import importlib

    return importlib.import_module("toolkit.sql.parity.demo")


NEXT_STEPS = (
    ('eval "$(fedkit sandbox env)"', "point your shell (aws, boto3, snowflake) at the sandbox"),
    ("fedkit gold schema --source s3", "every column with its BigQuery, Snowflake and Glue type"),
    ("fedkit plan", "what fedkit would change in AWS, BigQuery and Snowflake (nothing, now)"),
    ("fedkit kpi run --engines bigquery", "the KPI suite on the BigQuery sandbox (ZetaSQL)"),
    ("fedkit kpi report --html out/kpi.html", "every KPI as a table and a chart, plus the parity matrix"),
    ("fedkit validate", "what CI runs: every query resolved on every engine, offline"),
    ("fedkit sandbox down", "stop the sandbox (Snowflake data in .fedkit/fakesnow is kept)"),
)


def run_demo(
    ctx: DemoContext,
    steps: list[DemoStep] | None = None,
    on_step: Callable[[DemoStep, StepResult], None] | None = None,
) -> dict[str, StepResult]:
    """Run the steps in order, stopping at the first failure (its FedkitError propagates to the CLI). The whole
    demo is refused before its first step when gold.local_dir holds someone else's Parquet."""
    if steps is None and ctx.loaded.config.gold.local_dir:
        check_demo_target(ctx.loaded.resolve(ctx.loaded.config.gold.local_dir))
    for step in steps if steps is not None else STEPS:
        result = step.run(ctx)
        ctx.results[step.name] = result
        if on_step is not None:
            on_step(step, result)
    return ctx.results
