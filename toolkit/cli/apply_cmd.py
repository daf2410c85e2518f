"""`fedkit apply`: execute the plan (asks first unless --yes); stops at the first failure and says what was done."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from toolkit.cli.common import ConfigOption, Output, OutputOption, console, emit, err_console, output_format
from toolkit.cli.plan_cmd import IdentityOption, ReplaceOption, TargetOption, build_context, changes_of, render_plan


def register(app: typer.Typer) -> None:
    @app.command("apply")
    def apply(
        ctx: typer.Context,
        yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking (needed without a terminal).")] = False,
        identity: IdentityOption = None,
        target: TargetOption = None,
        replace: ReplaceOption = False,
        prune: Annotated[bool, typer.Option(
            "--prune", help="Drop the tables fedkit registered for gold tables that are gone (without it: warnings).")] = False,
        config: ConfigOption = None,
        output: OutputOption = None,
    ) -> None:
        """Execute the plan in dependency order: role -> connection/integration -> read identities -> tighten trust
        -> datasets, stages, tables -> S3 notifications -> Snowflake external table refreshes. Idempotent.

        Merges into what exists (statements and notifications fedkit does not manage are kept). A second run
        changes nothing; after a failure, fix the cause and rerun. Ctrl-C finishes the running step, starts no
        other, prints the steps done and exits 130.

        Example:  fedkit apply --yes --identity snowflake=arn:aws:iam::123456789012:user/abc1-s-v2st0000,AB12_SFCRole=2_x=
        """
        from toolkit.errors import UsageError
        from toolkit.planning.actions import with_drift
        from toolkit.cli.interrupt import stop_on_ctrl_c
        from toolkit.planning.pipeline import ApplyFailed, ApplyInterrupted, ApplyReport, apply_all, plan_all

        fmt = output_format(ctx, output)
        context = build_context(ctx, config, identity, target, replace)
        context.prune = prune  # read by toolkit.registration.orphan_targets
        ctx.with_resource(hold_apply_lock())  # until the command ends: plan and apply see no other apply's half
        plan = plan_all(context)
        if not changes_of(plan):
            emit(with_drift(ApplyReport().to_json(), plan.actions), fmt, lambda: render_plan(plan, context))
            return
        if fmt is Output.text:
            render_plan(plan, context)
        if not yes:
            if not sys.stdin.isatty():
                raise UsageError("apply changes AWS: confirm in a terminal, or pass --yes (no terminal to ask on)")
            if not typer.confirm(f"Apply {len(changes_of(plan))} change(s)?", default=False):
                err_console().print("cancelled: nothing changed")
                raise typer.Exit(1)

        def done(action) -> None:
            if fmt is Output.text and action.action != "drift":
                console().print(f"[green]done[/] {action.action} {action.resource}")

        def stopping() -> None:
            err_console().print("stopping after the current step (Ctrl-C again to abort at once)")

        try:
            with stop_on_ctrl_c(context.stop, stopping):
                report = apply_all(context, on_step=done)
        except ApplyInterrupted as exc:
            emit(exc.report.to_json(), fmt, lambda: None)  # text: the error line lists the steps done
            raise
        except ApplyFailed as exc:
            if fmt is Output.json:
                emit(exc.report.to_json(), fmt, lambda: None)
            else:
                err_console().print(f"[red]failed[/] {exc.report.failed}")
            raise
        applied = sum(1 for a in report.done if a.action != "drift")
        emit(report.to_json(), fmt, lambda: console().print(f"Applied {applied} change(s)."))


def hold_apply_lock():  # type: ignore[no-untyped-def]
    """The project's apply lock (toolkit.project_lock), its waiting and take-over messages on stderr."""
    from rich.markup import escape

    from toolkit.project_lock import apply_lock

    return apply_lock(say=lambda message: err_console().print(f"[yellow]{escape(message)}[/]"))
