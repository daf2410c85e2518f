"""Demo steps for registration (`toolkit.sandbox.demo_steps.STEPS`): `apply --yes` on the sandbox, then the
`fact_sales` row count through each engine adapter, side by side with the Parquet's own count, and what the Glue
Data Catalog holds (it runs no query: its tables and partitions are what Athena and Redshift Spectrum read)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.sandbox.demo_steps import DemoContext, StepResult

# The ZetaSQL evaluator runs about 3,000 rows/s: count every row of a demo-sized table, sample anything bigger.
DEMO_BIGQUERY_ROW_LIMIT = 50_000


def step_register(ctx: "DemoContext") -> "StepResult":
    """`fedkit apply --yes`: role and trust, BigQuery connection/dataset/tables, Snowflake integration/stage/tables."""
    import sys

    from toolkit.planning.pipeline import Context, apply_all
    from toolkit.project_lock import apply_lock
    from toolkit.sandbox.demo_steps import StepResult

    with apply_lock(say=lambda message: print(message, file=sys.stderr)):  # like `fedkit apply`: one at a time
        report = apply_all(Context(loaded=ctx.loaded))
    done = [f"{a.action} {a.resource}" for a in report.done if a.action != "drift"]
    drift = [a.resource for a in report.done if a.action == "drift"]
    data: dict[str, Any] = {"changes": done, "drift": drift}
    note = f"; drift (run `fedkit apply --replace`): {', '.join(drift)}" if drift else ""
    if not done:
        return StepResult("skipped", "everything is registered already" + note, data)
    engines = sorted({a.target for a in report.done})
    return StepResult("done", f"applied {len(done)} change(s) on {', '.join(engines)}{note}", data)


def step_row_counts(ctx: "DemoContext") -> "StepResult":
    """SELECT COUNT(*) of fact_sales through every configured engine's adapter (the AWS engines' sandbox stand-ins
    included, with their note), next to the Parquet footers; then the tables and partitions Glue holds."""
    from toolkit.engines.registry import get_engine, parse_engines, traits
    from toolkit.gold.schema import read_catalog
    from toolkit.sandbox.demo_steps import StepResult
    from toolkit.sql.ddl import bq_ident, sf_ident

    catalog = ctx.catalog or read_catalog(ctx.loaded, "s3")
    table = catalog.table("fact_sales")
    if table is None:
        return StepResult("skipped", "no fact_sales table in the gold layer", {})
    config = ctx.loaded.config
    counts: dict[str, Any] = {"parquet": table.row_count}
    notes: dict[str, str] = {}
    if config.bigquery is not None:
        bigquery = get_engine("bigquery", ctx.loaded)
        if hasattr(bigquery, "row_limit"):
            bigquery.row_limit = max(bigquery.row_limit, min(table.row_count, DEMO_BIGQUERY_ROW_LIMIT))
        name = f"{bq_ident(config.bigquery.dataset)}.{bq_ident(table.name)}"
        result = bigquery.run(f"SELECT COUNT(*) AS n FROM {name}")
        counts["bigquery"] = result.column(0).to_pylist()[0]
        if getattr(bigquery, "last_note", None):
            notes["bigquery"] = bigquery.last_note
    if config.snowflake is not None:
        snowflake = get_engine("snowflake", ctx.loaded)
        try:
            name = ".".join(sf_ident(p) for p in (config.snowflake.database, config.snowflake.schema_, table.name))
            counts["snowflake"] = snowflake.run(f"SELECT COUNT(*) AS n FROM {name}").column(0).to_pylist()[0]
        finally:
            snowflake.close()
        if getattr(snowflake, "emulation_note", None):
            notes["snowflake"] = "fakesnow: external table materialised from the staged Parquet"
    for engine in parse_engines(None, ctx.loaded):  # the other KPI engines: one COUNT(*) in their own dialect
        if engine in counts:
            continue
        adapter = get_engine(engine, ctx.loaded)
        try:
            name = traits(engine).table_name(table.name, config)
            counts[engine] = adapter.run(f"SELECT COUNT(*) AS n FROM {name}").column(0).to_pylist()[0]
        finally:
            adapter.close()
        if getattr(adapter, "last_note", None):
            notes[engine] = adapter.last_note
    glue = _glue_summary(ctx, catalog) if config.glue is not None and config.aws is not None else None
    if glue is not None and glue.get("note"):
        notes["glue"] = glue.pop("note")
    shown = " | ".join(f"{engine}: {value:,}" for engine, value in counts.items())
    agree = len(set(counts.values())) == 1
    detail = f"fact_sales rows  {shown}" + ("  (all agree)" if agree else "  (they differ: see notes)")
    if glue is not None:
        detail += (f"\n    glue: {glue['tables']} tables, {sum(glue['partitions'].values())} partitions registered in "
                   f"{glue['database']}")
    if notes:
        detail += "".join(f"\n    {engine}: {note}" for engine, note in notes.items())
    data = {"table": table.name, "counts": counts, "notes": notes, "agree": agree}
    return StepResult("done", detail, data | ({"glue": glue} if glue is not None else {}))


def _glue_summary(ctx: "DemoContext", catalog: Any) -> dict[str, Any]:
    """What the Glue catalog holds for the gold (GetTables, GetPartitions through the same adapter `apply` uses):
    fedkit's tables in the database and the partitions registered per partitioned table."""
    from toolkit.engines.registry import get_engine
    from toolkit.registration.glue_desired import desired_glue

    desired = desired_glue(ctx.loaded, catalog)
    glue = get_engine("glue", ctx.loaded)
    try:
        observed = glue.observe(desired)
    finally:
        glue.close()
    ours = [name for name, t in observed.tables.items() if t.ours]
    return {"database": desired.database, "tables": len(ours),
            "partitions": {name: len(values) for name, values in sorted(observed.partitions.items())},
            "note": glue.emulation_note}
