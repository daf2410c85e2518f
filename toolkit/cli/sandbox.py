"""`fedkit sandbox`: start, inspect and stop the embedded sandbox (moto for AWS, fakesnow for Snowflake)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from toolkit.cli.common import ConfigOption, OutputOption, console, emit, err_console, output_format

app = typer.Typer(
    help=(
        "Start, inspect and stop the embedded sandbox: moto (S3, IAM, STS, SQS, SNS) and fakesnow (Snowflake) on "
        "127.0.0.1, state under .fedkit/ (or $FEDKIT_HOME).\n\n"
        'Example:  fedkit sandbox up && eval "$(fedkit sandbox env)"'
    ),
    no_args_is_help=True,
)


def _render_status(status) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    from toolkit.sandbox.manager import display_path

    table = Table(title="fedkit sandbox", title_justify="left")
    table.add_column("service", no_wrap=True)
    table.add_column("pid", justify="right", no_wrap=True)
    table.add_column("endpoint", no_wrap=True)
    table.add_column("healthy", no_wrap=True)
    for service in status.services:
        if service.healthy:
            verdict = "[green]yes[/]"
        elif service.running:
            verdict = "[yellow]not answering[/]"
        else:
            verdict = "[red]not running[/]"
        table.add_row(
            service.title,
            str(service.pid or "-"),
            service.endpoint or "-",
            verdict,
        )
    console().print(table)
    logs = sorted({display_path(Path(s.log).parent) for s in status.services if s.log})
    if logs:
        console().print(f"logs: {', '.join(logs)}")


@app.command("up")
def up(
    ctx: typer.Context,
    moto_port: Optional[int] = typer.Option(None, "--moto-port", help="Port for moto (default: a free one)."),
    snowflake_port: Optional[int] = typer.Option(None, "--snowflake-port", help="Port for fakesnow (default: a free one)."),
    timeout: float = typer.Option(30.0, "--timeout", min=1.0, help="Seconds to wait for each server to answer."),
    account_id: Optional[str] = typer.Option(
        None, "--account-id", help="AWS account moto answers as (default: the config's aws.account_id, else 123456789012)."
    ),
    config: ConfigOption = None,
    output: OutputOption = None,
) -> None:
    """Start the sandbox servers in the background. A server that already runs and answers is kept as it is; only
    one that is gone or does not answer is (re)started, with a message saying what its state becomes.

    Snowflake databases are kept in .fedkit/fakesnow/ across down/up; moto's AWS state lives in memory. moto answers
    as the config's AWS account, so `plan`/`apply` run on the sandbox with the config you use for the cloud.

    Example:  fedkit --config conf/federation.yaml sandbox up --moto-port 5001
    """
    import re

    from toolkit.errors import UsageError
    from toolkit.sandbox.manager import up as start
    from toolkit.sandbox.extra import require_sandbox_extra
    from toolkit.sandbox.state import sandbox_account_id

    require_sandbox_extra("fedkit sandbox up")
    fmt = output_format(ctx, output)
    if account_id is not None and not re.fullmatch(r"\d{12}", account_id):
        raise UsageError(f"--account-id {account_id}: an AWS account id is exactly 12 digits")
    from toolkit.cli.progress import step

    aws = _config_aws(ctx, config)
    with step("starting the sandbox (moto, fakesnow)"):
        result = start(moto_port=moto_port, fakesnow_port=snowflake_port, timeout=timeout,
                       account_id=account_id or (aws.account_id if aws is not None else None))

    def render() -> None:
        for message in result.messages:
            err_console().print(f"[yellow]{message}[/]")
        if result.started:
            console().print("[green]sandbox started[/]")
        _render_status(result.status)
        console().print(f"AWS account: {sandbox_account_id()}")
        console().print('Point your shell at it:  eval "$(fedkit sandbox env)"')

    emit({"started": result.started, "messages": result.messages, "aws_account_id": sandbox_account_id(),
          **result.status.to_json()}, fmt, render)


@app.command("status")
def status(ctx: typer.Context, config: ConfigOption = None, output: OutputOption = None) -> None:
    """Show each sandbox server: pid, endpoint and whether it answers. Exit code 1 when the sandbox is not running.

    Example:  fedkit sandbox status --output json
    """
    from toolkit.sandbox.manager import status as current_status

    fmt = output_format(ctx, output)
    _config_aws(ctx, config)  # a config named with --config must load, as on every command
    result = current_status()

    def render() -> None:
        if not result.recorded:
            console().print("sandbox is not running (start it with `fedkit sandbox up`)")
            return
        _render_status(result)
        if result.stale:
            err_console().print("[yellow]stale state: a recorded server is gone; `fedkit sandbox up` cleans it[/]")

    emit(result.to_json(), fmt, render)
    if not result.running:
        raise typer.Exit(1)


@app.command("down")
def down(
    ctx: typer.Context,
    timeout: float = typer.Option(10.0, "--timeout", min=0.0, help="Seconds to wait after SIGTERM before SIGKILL."),
    wipe: bool = typer.Option(False, "--wipe", help="Also delete the Snowflake databases, logs and connections.toml."),
    config: ConfigOption = None,
    output: OutputOption = None,
) -> None:
    """Stop the sandbox servers recorded by `up` (never any other process).

    Example:  fedkit sandbox down --wipe
    """
    from toolkit.sandbox.manager import down as stop

    fmt = output_format(ctx, output)
    _config_aws(ctx, config)  # a config named with --config must load, as on every command
    result = stop(timeout=timeout, wipe=wipe)

    def render() -> None:
        for entry in result.stopped:
            console().print(f"stopped {entry['service']} (pid {entry['pid']}, {entry['how']})")
        for message in result.messages:
            console().print(message)

    emit({"stopped": result.stopped, "messages": result.messages}, fmt, render)


@app.command("env")
def env(
    ctx: typer.Context,
    region: Optional[str] = typer.Option(None, "--region", help="AWS region to export (default: the config's aws.region, else us-east-1)."),
    unset: bool = typer.Option(
        False, "--unset", help="Print the lines that put the shell back as it was before `sandbox env` (AWS_PROFILE, "
        "the real AWS keys, ...); they change nothing in a shell where `sandbox env` never ran."),
    config: ConfigOption = None,
    output: OutputOption = None,
) -> None:
    """Print the shell exports that point boto3, snowflake-connector-python and fedkit at the running sandbox.

    They unset AWS_PROFILE and AWS_SESSION_TOKEN and replace the AWS keys, after keeping the shell's own values in
    (unexported) shell variables; `--unset` prints the lines that restore them.

    Example:  eval "$(fedkit sandbox env)"   ...   eval "$(fedkit sandbox env --unset)"
    """
    import sys

    from toolkit.sandbox.manager import SANDBOX_ENV_KEYS, sandbox_env, shell_exports, shell_unsets

    fmt = output_format(ctx, output)
    if unset:
        lines = shell_unsets()
        emit({"restores": list(SANDBOX_ENV_KEYS), "shell": lines}, fmt,
             lambda: (sys.stdout.write(lines), sys.stdout.flush()))
        return
    values = sandbox_env(region or _config_region(ctx, config))
    emit(values, fmt, lambda: (sys.stdout.write(shell_exports(values)), sys.stdout.flush()))


def _config_region(ctx: typer.Context, config: Path | None = None) -> str:
    """The project's AWS region when a readable config is around; the sandbox works without one."""
    aws = _config_aws(ctx, config)
    return aws.region if aws is not None else "us-east-1"


def _config_aws(ctx: typer.Context, config: Path | None = None):  # type: ignore[no-untyped-def]
    """The config's aws: section when a config is around (the sandbox works without one).

    A config named with --config must load (a typo there is an error, exit 2); the default one is optional.
    """
    from toolkit.cli.common import config_path

    path = config_path(ctx, config)
    if config is None and ctx.find_root().params.get("config") is None and not path.exists():
        return None
    from toolkit.config import load_config

    if config is None and ctx.find_root().params.get("config") is None:
        from toolkit.errors import FedkitError

        try:
            return load_config(path).config.aws
        except FedkitError:
            return None
    return load_config(path).config.aws
