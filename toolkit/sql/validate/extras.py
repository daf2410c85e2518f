"""The other things `fedkit validate` checks: generated IAM documents are current, rendered registration DDL
parses on its engine (ZetaSQL's parser for BigQuery + the Omni DDL rules, sqlglot for Snowflake)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.sql.validate.model import OK, Problem, Result, error

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog

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
    from toolkit.engines.registry import traits
    from toolkit.sql.ddl import TEMPLATE_DIR, template_file

    kind = object_name.split("/", 1)[0]
    name = traits(engine).ddl_templates.get(kind)  # object kind (the prefix of render_all's names) -> its template
    return template_file(engine, name) if name else TEMPLATE_DIR / engine


def ddl_results(loaded: "LoadedConfig", catalog: "GoldCatalog", engines: tuple[str, ...],
                only: set[Path] | None = None) -> list[Result]:
    """Render every registration statement and parse it on its engine; `only` limits to these template files.
    One result per template × engine: a failure points at the template line that produced the failing text."""
    from toolkit.engines.registry import engines_that, traits
    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.ddl import render_all
    from toolkit.sql.ddl import shown_template

    results: list[Result] = []
    for engine in engines_that(lambda t: t.registers_tables):
        if engine not in engines:
            continue
        # A table an engine cannot read (BigQuery: flexible column names) is a finding on that engine's table
        # template; the other tables' DDL is still rendered and checked, and an engine that quotes such names (Snowflake)
        # renders them all.
        unreadable = traits(engine).unreadable_tables(catalog)
        readable = GoldCatalog(tuple(t for t in catalog.tables if t.name.lower() not in unreadable))
        rendered = render_all(loaded, readable, (engine,))
        if engine not in rendered:
            continue
        per_template: dict[Path, list[tuple[str, str, Problem]]] = {}
        if unreadable:
            template = template_path(engine, traits(engine).table_object(loaded, ""))
            if only is None or template.resolve() in only:
                per_template[template] = [
                    (traits(engine).table_object(loaded, t.name), "", Problem(unreadable[t.name.lower()]))
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


def _ddl_problem(engine: str, sql: str, loaded: "LoadedConfig | None") -> Problem | None:
    """What is wrong with one rendered statement, positioned in `sql` when the engine says where."""
    from toolkit.engines.registry import traits

    return traits(engine).ddl_problem(sql, loaded)
