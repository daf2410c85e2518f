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
    from_live: Annotated[bool, typer.Option(
        "--from-live", help="Take the role, trust and inline policy from AWS as deployed (after `fedkit apply`); "
        "with --check: exit 1 when the committed files are behind it.")] = False,
    config: ConfigOption = None,
    output: OutputOption = None,
) -> None:
    """Write the role, trust policy and read policy as pretty JSON, one file per document.

    Identities not known yet (config `identities:`) appear as placeholders that trust nobody; after `fedkit apply`,
    `--from-live` writes the deployed documents (real identities) in the same format.

    Example:  fedkit iam generate --out iam/ && git diff iam/
    Example:  fedkit apply && fedkit iam generate --from-live && git diff iam/
    """
    from toolkit.errors import CheckFailed
    from toolkit.iam.generate import DEFAULT_OUT_DIR, diff_summary, stale_diffs, write_generated

    loaded = load(ctx, config)
    fmt = output_format(ctx, output)
    folder = str(out or DEFAULT_OUT_DIR)
    documents = None
    if from_live:
        from toolkit.iam import policies
        from toolkit.iam.live import read_live_documents

        policies.validate(loaded.config)  # refused before AWS is read, as plan does
        documents = read_live_documents(loaded)
    if check:
        diffs = stale_diffs(loaded, out, documents)
        stale = sorted(diffs)
        data = {"stale": stale, **({"diffs": diffs} if diffs else {})}
        emit(data, fmt, lambda: console().print(f"{folder}: up to date") if not stale else None)
        if stale and from_live:
            role = loaded.config.aws.role_name if loaded.config.aws else "?"
            behind = "; ".join(f"{Path(folder) / name} is behind the live role {role}: {diff_summary(diffs[name])}"
                               for name in stale)
            raise CheckFailed(f"{behind} (run `fedkit iam generate --from-live`)")
        if stale:
            raise CheckFailed(f"{folder}: stale IAM documents: {', '.join(stale)} (run `fedkit iam generate`)")
        return
    touched = write_generated(loaded, out, documents)

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


