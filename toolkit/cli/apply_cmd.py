"""`fedkit apply`: execute the plan (asks first unless --yes); stops at the first failure and says what was done."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from toolkit.cli.common import (
    ConfigOption, ConnectionOption, Output, OutputOption, console, emit, err_console, output_format,
)
from toolkit.cli.plan_cmd import (
    IdentityOption, ReplaceOption, TargetOption, build_context, changes_of, planned, render_plan, render_targets,
)


def register(app: typer.Typer) -> None:
    @app.command("apply")
    def apply(
        ctx: typer.Context,
        plan_file: Annotated[Optional[Path], typer.Argument(
            metavar="[PLAN]", help="A plan saved by `fedkit plan --out PLAN`: apply exactly it (no question asked), "
            "or refuse with exit 2, nothing changed, when the clouds or the config changed since.")] = None,
        yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking (needed without a terminal).")] = False,
        identity: IdentityOption = None,
        target: TargetOption = None,
        replace: ReplaceOption = False,
        connection: ConnectionOption = None,
        prune: Annotated[bool, typer.Option(
            "--prune", help="Drop the tables fedkit registered for gold tables that are gone (without it: warnings).")] = False,
        config: ConfigOption = None,
        output: OutputOption = None,
    ) -> None:
        """Execute the plan in dependency order: role -> connection/integration -> read identities -> tighten trust
        -> datasets, stages, tables -> S3 notifications -> Snowflake external table refreshes. Idempotent.

        Merges into what exists (statements and notifications fedkit does not manage are kept). A second run
        changes nothing; after a failure, fix the cause and rerun. Ctrl-C finishes the running step, starts no
        other, prints the steps done and exits 130. Like plan, it first names each cloud it reaches (sandbox server
        or real account); its question names the real ones (--yes skips it).

        With a saved plan (`fedkit plan --out plan.json`, then `fedkit apply plan.json`) it applies that plan only:
        the config, the options and what fedkit observes must be those of the plan, or it refuses (exit 2) and
        changes nothing. In every case apply never does a step the plan it showed did not list (exit 1 if the
        clouds moved so that it would have to).

        Example:  fedkit apply --yes --identity snowflake=arn:aws:iam::123456789012:user/abc1-s-v2st0000,AB12_SFCRole=2_x=
        """
        from toolkit.errors import UsageError
        from toolkit.planning.actions import with_drift
        from toolkit.cli.interrupt import stop_on_ctrl_c
        from toolkit.planning.pipeline import ApplyFailed, ApplyInterrupted, ApplyReport, apply_all
        from toolkit.planning.where import real_clouds, targets_json

        fmt = output_format(ctx, output)
        saved = None
        if plan_file is not None:
            from toolkit.cli.common import state
            from toolkit.planning.saved import check_config, check_options, options, read_saved

            saved = read_saved(plan_file)
            prune = prune or bool(saved["options"].get("prune"))  # the reviewed plan decided whether to prune
            check_options(plan_file, saved, options(target, replace, identity, prune))
            if config is None and state(ctx).config is None:
                config = Path(saved["config"]["path"])
        context = build_context(ctx, config, identity, target, replace, connection)
        if saved is not None:
            check_config(plan_file, saved, context.loaded.path)
        context.prune = prune  # read by toolkit.registration.orphan_targets
        ctx.with_resource(hold_apply_lock())  # until the command ends: plan and apply see no other apply's half
        plan, targets = planned(context)
        where = {"targets": targets_json(targets)}
        if saved is not None:
            from toolkit.planning.saved import check_fresh

            check_fresh(plan_file, saved, plan, context)  # exit 2 before any change when anything moved
            yes = True  # the saved plan was the review, as with `terraform apply PLAN`
        if not changes_of(plan):
            emit({**where, **with_drift(ApplyReport().to_json(), plan.actions)}, fmt,
                 lambda: (render_targets(targets), render_plan(plan, context)))
            return
        if fmt is Output.text:
            render_targets(targets)
            render_plan(plan, context)
        if not yes:
            if not sys.stdin.isatty():
                raise UsageError("apply changes AWS: confirm in a terminal, or pass --yes (no terminal to ask on)")
            real = real_clouds(targets)
            on = (" to the REAL " + "; ".join(t.text for t in real)) if real else " to the sandbox"
            if not typer.confirm(f"Apply {len(changes_of(plan))} change(s){on}?", default=False):
                err_console().print("cancelled: nothing changed")
                raise typer.Exit(1)

        def done(action) -> None:
            if fmt is Output.text and action.action != "drift":
                console().print(f"[green]done[/] {action.action} {action.resource}")

        def stopping() -> None:
            err_console().print("stopping after the current step (Ctrl-C again to abort at once)")

        from toolkit.cli.progress import step

        try:
            with stop_on_ctrl_c(context.stop, stopping), step("applying", total=len(changes_of(plan)),
                                                             unit="steps") as work:
                def each(action) -> None:  # type: ignore[no-untyped-def]
                    if action.action != "drift":
                        work.advance(detail=f"{action.action} {action.resource}")
                    done(action)

                report = apply_all(context, on_step=each, shown=plan)
        except ApplyInterrupted as exc:
            emit({**where, **exc.report.to_json()}, fmt, lambda: None)  # text: the error line lists the steps done
            raise
        except ApplyFailed as exc:
            if fmt is Output.json:
                emit({**where, **exc.report.to_json()}, fmt, lambda: None)
            else:
                err_console().print(f"[red]failed[/] {exc.report.failed}")
            raise
        applied = sum(1 for a in report.done if a.action != "drift")
        emit({**where, **report.to_json()}, fmt, lambda: console().print(f"Applied {applied} change(s)."))


def hold_apply_lock():  # type: ignore[no-untyped-def]
    """The project's apply lock (toolkit.project_lock), its waiting and take-over messages on stderr."""
    from rich.markup import escape

    from toolkit.project_lock import apply_lock

    return apply_lock(say=lambda message: err_console().print(f"[yellow]{escape(message)}[/]"))
