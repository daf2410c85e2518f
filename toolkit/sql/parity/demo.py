"""The last step of `fedkit demo`: the parity matrix of the whole KPI suite on the sandbox's sample gold data.

To wire it (the demo's step list belongs to toolkit/sandbox/demo_steps.py):

    from toolkit.sql.parity.demo import step_parity
    STEPS.append(DemoStep("parity", "Prove KPI parity on every configured engine", step_parity))

and, in the demo's text rendering, after the other tables:

    from toolkit.sql.parity.demo import render_parity_step
    render_parity_step(demo_ctx, console())

The step reads the local gold folder (the same data the demo published), samples it key-consistently and runs the
oracles in process (ZetaSQL, fakesnow, DuckDB); it never fails the demo: the matrix shows what differs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

DEMO_SAMPLE_ROWS = 2000


def step_parity(ctx: Any) -> Any:
    """(DemoContext) -> StepResult; the ParityReport is kept as `ctx.parity` for the renderer."""
    from toolkit.sandbox.demo_steps import StepResult
    from toolkit.sql.parity.render import summary_line
    from toolkit.sql.parity.runner import run_parity

    report = run_parity(ctx.loaded, sample_rows=DEMO_SAMPLE_ROWS)
    ctx.parity = report
    data = report.to_json() | {"ok": report.ok, "notes": report.notes()}
    return StepResult("done", summary_line(report), data)


def render_parity_step(ctx: Any, console: "Console") -> None:
    """Print the matrix (and any difference) when the parity step ran."""
    from toolkit.sql.parity.render import print_report

    report = getattr(ctx, "parity", None)
    if report is not None:
        print_report(report, console)
