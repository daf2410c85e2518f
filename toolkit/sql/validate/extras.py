"""The other things `fedkit validate` checks: generated IAM documents are current, rendered registration DDL
parses on its engine (ZetaSQL's parser for BigQuery + the Omni DDL rules, sqlglot for Snowflake)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.sql.validate.model import OK, Result, error

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


def template_path(engine: str, object_name: str) -> Path:
    from toolkit.sql.ddl import TEMPLATE_DIR

    kind = object_name.split("/", 1)[0]
    name = _TEMPLATES.get((engine, kind))
    return TEMPLATE_DIR / engine / f"{name}.sql.j2" if name else TEMPLATE_DIR / engine


def ddl_results(loaded: "LoadedConfig", catalog: "GoldCatalog", engines: tuple[str, ...],
                only: set[Path] | None = None) -> list[Result]:
    """Render every registration statement and parse it on its engine; `only` limits to these template files."""
    from toolkit.sql.ddl import render_all
    from toolkit.sql.validate.files import shown_path

    rendered = render_all(loaded, catalog)
    results: list[Result] = []
    for engine in ("bigquery", "snowflake"):
        if engine not in engines or engine not in rendered:
            continue
        per_template: dict[Path, list[str]] = {}
        for object_name, sql in rendered[engine]:
            template = template_path(engine, object_name)
            if only is not None and template.resolve() not in only:
                continue
            problems = per_template.setdefault(template, [])
            problem = _ddl_problem(engine, sql, loaded)
            if problem:
                problems.append(f"{object_name}: {problem}")
        for template, problems in per_template.items():
            file = shown_path(template)
            if problems:
                results.extend(error(file, engine, f"rendered DDL: {p}") for p in problems)
            else:
                results.append(Result(file, engine, OK))
    return results


def _ddl_problem(engine: str, sql: str, loaded: "LoadedConfig") -> str | None:
    if engine == "bigquery":
        from toolkit.sql.validate import omni
        from toolkit.sql.zetasql_service import ZetaSQL

        found = ZetaSQL.get().parse(sql)
        if found is not None:
            return f"{found.message} (rendered line {found.line}:{found.column})" if found.line else found.message
        bq = loaded.config.bigquery
        problems = omni.ddl_problems(sql, location=bq.location if bq else "")
        return problems[0].message if problems else None
    import sqlglot
    from sqlglot.errors import ParseError, TokenError

    try:
        statements = [s for s in sqlglot.parse(sql, read="snowflake") if s is not None]
    except (ParseError, TokenError) as exc:
        first = (getattr(exc, "errors", None) or [{}])[0]
        where = f" (rendered line {first.get('line')}:{first.get('col')})" if first.get("line") else ""
        return f"Snowflake syntax: {first.get('description') or str(exc).splitlines()[0]}{where}"
    if not statements:
        return "renders to no statement"
    return None
