"""`fedkit iam`: generate the least-privilege IAM documents, and lint them (parliament + fedkit's rules)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

from toolkit.cli.common import ConfigOption, OutputOption, console, emit, load, output_format

app = typer.Typer(
    help="Least-privilege IAM documents for BigQuery Omni and Snowflake: generate and lint.\n\n"
    "Example:  fedkit iam generate --check",
    no_args_is_help=True,
)


@app.command("generate")
def generate(
    ctx: typer.Context,
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder for the documents (default: iam/).")] = None,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 when the files are stale (CI).")] = False,
    config: ConfigOption = None,
    output: OutputOption = None,
) -> None:
    """Write the role, trust policy and read policy as pretty JSON, one file per document.

    Identities not known yet (config `identities:`) appear as placeholders that trust nobody.

    Example:  fedkit iam generate --out iam/ && git diff iam/
    """
    from toolkit.errors import CheckFailed
    from toolkit.iam.generate import DEFAULT_OUT_DIR, check_generated, write_generated

    loaded = load(ctx, config)
    fmt = output_format(ctx, output)
    folder = str(out or DEFAULT_OUT_DIR)
    if check:
        stale = check_generated(loaded, out)
        emit({"stale": stale}, fmt, lambda: console().print(f"{folder}: up to date") if not stale else None)
        if stale:
            raise CheckFailed(f"{folder}: stale IAM documents: {', '.join(stale)} (run `fedkit iam generate`)")
        return
    touched = write_generated(loaded, out)

    def text() -> None:
        if not touched:
            console().print(f"{folder}: up to date")
        for name in touched:
            console().print(f"wrote {Path(folder) / name}")

    emit({"written": touched}, fmt, text)


@app.command("lint")
def lint(
    ctx: typer.Context,
    files: Annotated[Optional[List[Path]], typer.Argument(help="Policy files (default: the generated documents).")] = None,
    config: ConfigOption = None,
    output: OutputOption = None,
) -> None:
    """Lint IAM policies with parliament plus fedkit's rules (no `*` resource, conditioned trust, known actions).

    Exit codes: 0 clean, 1 findings, 2 unreadable or invalid JSON.

    Example:  fedkit iam lint iam/trust-policy.json iam/gold-read-policy.json
    """
    from toolkit.iam.lint import lint_document, lint_files

    fmt = output_format(ctx, output)
    if files:
        findings = lint_files(list(files))
        checked = [str(f) for f in files]
    else:
        from toolkit.iam.generate import DEFAULT_OUT_DIR, POLICY_FILES, documents_for

        loaded = load(ctx, config)
        documents = {n: d for n, d in documents_for(loaded.config).items() if n in POLICY_FILES}
        findings = []
        for name, document in documents.items():
            findings += lint_document(document, f"{DEFAULT_OUT_DIR}/{name} (generated)")
        checked = list(documents)

    def text() -> None:
        if not findings:
            console().print(f"no findings in {len(checked)} document(s): {', '.join(checked)}")
            return
        from rich.table import Table

        by_file: dict[str, list] = {}
        for f in findings:
            by_file.setdefault(f.file, []).append(f)
        for name, items in by_file.items():
            table = Table(title=f"{name}: {len(items)} finding(s)", title_justify="left",
                          caption="FEDKIT_* rules are fedkit's, the others parliament's", caption_justify="left")
            table.add_column("rule", no_wrap=True)
            table.add_column("severity", no_wrap=True)
            table.add_column("statement", no_wrap=True)
            table.add_column("detail", ratio=1, min_width=24)
            for f in items:
                table.add_row(f.rule, f.severity or "-", f.sid or "-", f.detail)
            console().print(table)

    emit({"checked": checked, "findings": [f.to_json() for f in findings]}, fmt, text)
    if findings:
        raise typer.Exit(1)


