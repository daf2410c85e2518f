"""`fedkit plan`: what `fedkit apply` would change (role, trust, policy, notifications), as a diff or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, List, Optional

import typer

from toolkit.cli.common import ConfigOption, ConnectionOption, OutputOption, console, emit, load, output_format

if TYPE_CHECKING:
    from toolkit.planning.actions import Plan
    from toolkit.planning.pipeline import Context
    from toolkit.planning.where import CloudTarget

IdentityOption = Annotated[
    Optional[List[str]],
    typer.Option(
        "--identity",
        help="Engine identity for the trust handshake: bigquery=<21 digits>, snowflake=<iam user arn>,<external id>, "
        "snowflake_channel=<sqs arn>. Wins over engines and the config.",
    ),
]


# Not dbt's --target (an environment such as dev/prod; fedkit's environment is the --config file): this picks clouds.
# --target/-t, its old name, still works with a deprecation notice (toolkit.cli.grammar.DEPRECATED).
TargetOption = Annotated[
    Optional[List[str]],
    typer.Option(
        "--clouds",
        "--target",
        "-t",
        help="Only plan/apply these clouds: aws, bigquery, snowflake, glue (a comma list, or repeat). Identities "
             "already trusted are kept. (--target is its deprecated name.)",
    ),
]
ReplaceOption = Annotated[
    bool,
    typer.Option("--replace", help="Recreate registered tables whose columns drifted from the Parquet schema."),
]


OutOption = Annotated[
    Optional[Path],
    typer.Option("--out", help="Also save the plan to this file, for `fedkit apply FILE` to apply exactly it (refused "
                 "when the clouds or the config changed since)."),
]
DetailedExitcodeOption = Annotated[
    bool,
    typer.Option("--detailed-exitcode", help="Exit 0 when there is nothing to change, 2 when there are changes or "
                 "drift, 1 on any error (a bad config or option too, as Terraform does), for CI drift checks."),
]


def build_context(ctx: typer.Context, config, identity, target=None, replace: bool = False,
                  connection: str | None = None) -> "Context":
    """Parse and validate everything (config, --identity, --target) before any cloud call."""
    from toolkit.errors import UsageError
    from toolkit.planning.identities import parse_identity_flags
    from toolkit.planning.pipeline import TARGET_CLOUDS, Context
    from toolkit.sandbox.state import mode

    mode()  # first of all: FEDKIT_MODE is checked, and auto now reaching the real clouds says so

    only = frozenset(t.strip().lower() for item in (target or []) for t in item.split(",") if t.strip())
    unknown = sorted(only - set(TARGET_CLOUDS))
    if unknown:
        raise UsageError(f"--clouds: unknown cloud {unknown[0]!r}; use one or more of {', '.join(TARGET_CLOUDS)}")
    flags = parse_identity_flags(identity or [])
    loaded = load(ctx, config, connection)
    if loaded.config.aws is None:
        from toolkit.errors import ConfigError

        raise ConfigError(f"{loaded.path}: aws: is required for plan/apply (account_id, region, role_name)")
    from toolkit.iam.plan import check_channel_region
    from toolkit.iam.policies import validate

    validate(loaded.config)  # prefixes IAM would read as wildcards, no engine to trust: refused before AWS is read
    check_channel_region(loaded.config, flags.snowflake_channel)
    return Context(loaded=loaded, flags=flags, only=only, replace=replace)


def changes_of(plan: "Plan") -> list:
    """Actions that change something; `drift` actions are reports (`--replace` turns them into replacements)."""
    return [a for a in plan.actions if a.action != "drift"]


def render_targets(targets: "dict[str, CloudTarget]") -> None:
    """Which sandbox server or real account each cloud is, before the actions (a real one stands out)."""
    from rich.markup import escape

    out = console()
    out.print("Targets:")
    for name, target in targets.items():
        tag = "[bold red]REAL[/] " if target.mode == "cloud" else ""
        out.print(f"  {name:<10} {tag}{escape(target.text)}")


def planned(context: "Context") -> "tuple[Plan, dict[str, CloudTarget]]":
    """The plan and the clouds it reads (the AWS account from the GetCallerIdentity the role target makes)."""
    from toolkit.planning.pipeline import plan_all
    from toolkit.planning.where import describe_targets, watch_caller_identity

    from toolkit.cli.progress import step

    caller = watch_caller_identity(context)
    with step("reading the clouds and the gold layer"):
        result = plan_all(context)
    return result, describe_targets(context, caller)


def render_plan(plan: "Plan", context: "Context") -> None:
    from rich.markup import escape

    out = console()
    drifted = len(plan.actions) - len(changes_of(plan))
    if not plan.actions:
        out.print("No changes: the clouds match the config.")
    elif not changes_of(plan):
        # Drift is not something apply changes without --replace, but the clouds do not match the Parquet either.
        out.print("No changes to apply; drift reported below.")
    colours = {"create": "green", "update": "yellow", "replace": "magenta", "delete": "red", "drift": "cyan"}
    for action in plan.actions:
        colour = colours.get(action.action, "white")
        out.print(f"[bold {colour}]{action.action}[/] [bold]{escape(action.resource)}[/] ({action.target})")
        out.print(f"  {escape(action.detail)}")
        for line in action.diff.splitlines():
            style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
            out.print(f"    [{style}]{escape(line)}[/]")
    if changes_of(plan):
        counts: dict[str, int] = {}
        for action in changes_of(plan):
            counts[action.action] = counts.get(action.action, 0) + 1
        out.print("Plan: " + ", ".join(f"{n} to {verb}" for verb, n in counts.items()) + ".")
    if drifted:
        out.print(f"[cyan]{drifted} table(s) drifted from the Parquet schema[/]: rerun with --replace to recreate them.")
    for warning in plan.warnings:
        out.print(f"[yellow]warning:[/] {escape(warning)}")
    cfg = context.config
    if cfg.snowflake is not None and cfg.aws.notifications.snowflake_auto_refresh and not context.identities.snowflake_channel:
        out.print("[dim]note: Snowflake auto-refresh notifications wait for the notification channel "
                  "(SHOW EXTERNAL TABLES, or --identity snowflake_channel=<sqs arn>).[/]")


def _nothing_to_plan(ctx: typer.Context, config, output) -> bool:
    """A project without an aws section (local, or engines reading data fedkit does not wire) has no S3 role,
    registration or notifications for fedkit to manage: the plan is empty, and says why (only gold is required)."""
    loaded = load(ctx, config)
    if loaded.config.aws is not None:
        return False
    note = (f"{loaded.path} has no aws section: no S3 role, table registration or notifications for fedkit to manage "
            "(`fedkit validate` and `fedkit kpi` need only gold)")
    emit({"targets": {}, "actions": [], "notes": [note]}, output_format(ctx, output),
         lambda: console().print(f"Nothing to plan: {note}."))
    return True


def register(app: typer.Typer) -> None:
    @app.command("plan")
    def plan(
        ctx: typer.Context,
        identity: IdentityOption = None,
        target: TargetOption = None,
        replace: ReplaceOption = False,
        connection: ConnectionOption = None,
        config: ConfigOption = None,
        output: OutputOption = None,
        out: OutOption = None,
        detailed_exitcode: DetailedExitcodeOption = False,
        prune: Annotated[bool, typer.Option(
            "--prune", help="Plan the deletion of the tables fedkit registered for gold tables that are gone "
            "(without it they are warnings), as `apply --prune` would.")] = False,
    ) -> None:
        """Show what `fedkit apply` would change, in dependency order: IAM role and trust, BigQuery connection and
        dataset, Snowflake integration, tables and stages (with the DDL that would run), S3 notifications.

        Reads the clouds, changes nothing. First it names each cloud it reads: the sandbox's servers, or the real
        AWS account (and credentials), GCP project and Snowflake account ("targets" in JSON).
        `--output json` prints {"targets": {...}, "actions": [{target, action, resource, detail}...]}
        with action one of create|update|replace|delete (an empty list: nothing to do); tables whose columns no longer
        match the Parquet are listed apart, under "drift", only when there are some (`--replace` recreates them);
        policies on the role and principals its trust admits that fedkit does not manage (kept, never removed), and a
        role fedkit did not create but would take over, are named under "warnings". Every step apply takes is listed,
        those that wait for an engine identity or a queue created earlier in the run with the value shown as
        "(known after ...)"; apply never does a step the plan did not show.

        `--out FILE` saves the plan; `fedkit apply FILE` applies exactly it, or refuses (exit 2, nothing changed)
        when the clouds or the config changed since. Exit codes: 0 success, 1 error, 2 bad input; with
        `--detailed-exitcode`: 0 no changes, 2 changes or drift, 1 any error (bad input included).

        Example:  fedkit plan --clouds aws --identity bigquery=123456789012345678901 --output json
        """
        from toolkit.errors import EXIT_CHECK_FAILED, FedkitError
        from toolkit.planning.where import targets_json

        try:
            if _nothing_to_plan(ctx, config, output):
                return
            context = build_context(ctx, config, identity, target, replace, connection)
            context.prune = prune  # read by toolkit.registration.orphan_targets
            result, targets = planned(context)
            if out is not None:
                from toolkit.planning.saved import options, saved_plan, write_saved

                saved = saved_plan(result, context, options(target, replace, identity, prune))
                write_saved(out, {**saved, "targets": targets_json(targets)})  # which clouds it was made against
        except FedkitError as exc:
            if detailed_exitcode:  # 2 means "changes" here: every error, bad input included, is 1 (as Terraform)
                exc.exit_code = EXIT_CHECK_FAILED
            raise
        emit({"targets": targets_json(targets), **result.to_json()}, output_format(ctx, output),
             lambda: (render_targets(targets), render_plan(result, context)))
        if detailed_exitcode and result.actions:  # changes, or drift (a report `--replace` would act on)
            raise typer.Exit(2)
