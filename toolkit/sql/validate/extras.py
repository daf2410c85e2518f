"""The other things `fedkit validate` checks: generated IAM documents are current, rendered registration DDL
parses on its engine (ZetaSQL's parser for BigQuery + the Omni DDL rules, sqlglot for Snowflake)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.sql.validate.model import OK, Problem, Result, error

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog

# object kind (the prefix of render_all's names) -> template that renders it
_TEMPLATES = {
    ("bigquery", "dataset"): "dataset",
    ("bigquery", "table"): "external_table",
    ("snowflake", "database"): "database",
    ("snowflake", "schema"): "schema",
    ("snowflake", "integration"): "storage_integration",
    ("snowflake", "file_format"): "file_format",
    ("snowflake", "stage"): "stage",
    ("snowflake", "external_table"): "external_table",
}


def iam_results(loaded: "LoadedConfig") -> list[Result]:
    """One result per stale generated IAM document (or one ok result for the folder)."""
    from toolkit.iam.generate import DEFAULT_OUT_DIR, check_generated
    from toolkit.sql.validate.files import shown_path

    folder = shown_path(loaded.resolve(DEFAULT_OUT_DIR))
    stale = check_generated(loaded)
    if not stale:
        return [Result(folder, "iam", OK)]
    return [
        error(f"{folder}/{name}", "iam",
              f"generated IAM document is stale or missing for {loaded.path}; run `fedkit iam generate`")
        for name in stale
    ]


def relationship_results(loaded: "LoadedConfig", catalog: "GoldCatalog") -> list[Result]:
    """`gold.relationships` sides that name no gold table or column, at their config line (parity would refuse
    them with exit 2; CI learns it offline); one ok result when they all resolve."""
    from toolkit.sql.parity.keys import relationship_problems
    from toolkit.sql.validate.files import shown_path

    shown = shown_path(loaded.path)
    problems = relationship_problems(loaded, catalog)
    if not problems:
        return [Result(shown, "config", OK)]
    text = loaded.path.read_text(encoding="utf-8", errors="replace")
    return [error(shown, "config", f"{field}: {problem}", text, line) for line, field, problem in problems]


def template_path(engine: str, object_name: str) -> Path:
    """The template file that rendered `object_name`: the project's own when it has one (see ddl.template_file)."""
    from toolkit.sql.ddl import TEMPLATE_DIR, template_file

    kind = object_name.split("/", 1)[0]
    name = _TEMPLATES.get((engine, kind))
    return template_file(engine, name) if name else TEMPLATE_DIR / engine


def ddl_results(loaded: "LoadedConfig", catalog: "GoldCatalog", engines: tuple[str, ...],
                only: set[Path] | None = None) -> list[Result]:
    """Render every registration statement and parse it on its engine; `only` limits to these template files.
    One result per template × engine: a failure points at the template line that produced the failing text."""
    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.ddl import render_all
    from toolkit.sql.ddl import shown_template
    from toolkit.sql.validate.files import _bigquery_unreadable

    # A table BigQuery cannot read (flexible column names) is a finding on the BigQuery table template; the other
    # tables' DDL is still rendered and checked, and Snowflake, which quotes such names, renders them all.
    unreadable = _bigquery_unreadable(catalog) if "bigquery" in engines else {}
    readable = GoldCatalog(tuple(t for t in catalog.tables if t.name.lower() not in unreadable))
    rendered = {**render_all(loaded, readable, ("bigquery",)), **render_all(loaded, catalog, ("snowflake",))}
    results: list[Result] = []
    for engine in ("bigquery", "snowflake"):
        if engine not in engines or engine not in rendered:
            continue
        per_template: dict[Path, list[tuple[str, str, Problem]]] = {}
        if engine == "bigquery" and unreadable:
            dataset = loaded.config.bigquery.dataset if loaded.config.bigquery else ""
            template = template_path(engine, "table/")
            if only is None or template.resolve() in only:
                per_template[template] = [
                    (f"table/{dataset}.{t.name}", "", Problem(unreadable[t.name.lower()]))
                    for t in catalog.tables if t.name.lower() in unreadable
                ]
        for object_name, sql in rendered[engine]:
            template = template_path(engine, object_name)
            if only is not None and template.resolve() not in only:
                continue
            problems = per_template.setdefault(template, [])
            problem = _ddl_problem(engine, sql, loaded)
            if problem:
                problems.append((object_name, sql, problem))
        for template, problems in per_template.items():
            file = shown_template(template)
            results.append(_template_result(file, engine, template, problems) if problems else Result(file, engine, OK))
    return results


def _template_result(file: str, engine: str, template: Path, problems: list[tuple[str, str, Problem]]) -> Result:
    from toolkit.sql.validate.template_lines import template_position

    object_name, sql, problem = problems[0]
    message = f"rendered DDL ({object_name}): {problem.message}"
    if problem.line is not None:
        message += f" (rendered line {problem.line}:{problem.column})" if problem.column else f" (rendered line {problem.line})"
    others = sorted({name for name, _, _ in problems[1:]})
    if others:
        shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
        message += f"; {len(others)} more rendered objects fail too: {shown}"
    try:
        text = template.read_text(encoding="utf-8")
    except OSError:
        return error(file, engine, message)
    position = template_position(text, sql, problem.line, problem.column)
    line, column = position if position is not None else (None, None)
    return error(file, engine, message, text, line, column)


def _ddl_problem(engine: str, sql: str, loaded: "LoadedConfig") -> Problem | None:
    """What is wrong with one rendered statement, positioned in `sql` when the engine says where."""
    if engine == "bigquery":
        from toolkit.sql.validate import omni
        from toolkit.sql.zetasql_service import ZetaSQL

        found = ZetaSQL.get().parse(sql)
        if found is not None:
            return Problem(found.message, found.line, found.column)
        bq = loaded.config.bigquery
        problems = omni.ddl_problems(sql, location=bq.location if bq else "")
        return problems[0] if problems else None
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    from toolkit.sql.quiet import quiet_sqlglot

    try:
        with quiet_sqlglot():  # its "falling back to a Command" warning is reported below, as a result
            statements = [s for s in sqlglot.parse(sql, read="snowflake") if s is not None]
    except (ParseError, TokenError) as exc:
        first = (getattr(exc, "errors", None) or [{}])[0]
        return Problem(f"Snowflake syntax: {first.get('description') or str(exc).splitlines()[0]}",
                       first.get("line"), first.get("col"))
    if not statements:
        return Problem("renders to no statement")
    for statement in statements:
        # sqlglot keeps what it cannot parse as an opaque Command (`CREATE STAEG …`): every statement fedkit
        # renders parses into a real node, so a Command is a statement Snowflake's grammar does not have
        if isinstance(statement, exp.Command):
            words = statement.sql(dialect="snowflake").split()[:3]
            first_line = next((n for n, text in enumerate(sql.splitlines(), start=1) if text.split()[:1] == words[:1]),
                              None)
            return Problem(f"Snowflake syntax: not a statement Snowflake knows: `{' '.join(words)} …`", first_line, 1)
    return None
