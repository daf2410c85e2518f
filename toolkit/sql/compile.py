"""KPI compilation: parse in the source dialect, type from the gold catalog, apply the portability rules for
(source -> engine), name tables per engine, print pretty SQL in the engine's dialect. Pure: no I/O."""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from toolkit.errors import UsageError
from toolkit.sql.rules.base import RuleContext, SqlSyntaxError, UnportableError, line_of

if TYPE_CHECKING:
    from sqlglot import exp

    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.kpi_files import KpiFile

__all__ = ["CompiledQuery", "SqlSyntaxError", "UnportableError", "bare_table_names", "compile_kpi", "compile_query",
           "COMPILE_ENGINES"]

def _kpi_engines() -> tuple[str, ...]:
    from toolkit.engines.registry import engines_that

    return engines_that(lambda t: t.runs_kpis)


COMPILE_ENGINES = _kpi_engines()  # every engine that runs KPIs (toolkit.engines.traits)


@dataclass(frozen=True)
class CompiledQuery:
    engine: str
    sql: str
    source_sql: str
    notes: tuple[str, ...] = ()


def _parse(source_sql: str, dialect: str) -> "exp.Expression":
    import sqlglot
    from sqlglot.errors import ParseError, TokenError

    try:
        statements = [s for s in sqlglot.parse(source_sql, read=dialect) if s is not None]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        line, column = first.get("line"), first.get("col")
        description = first.get("description") or str(exc).splitlines()[0]
        # sqlglot names its own classes (`missing for <class 'sqlglot.expressions.core.And'>`): keep the SQL word
        description = re.sub(r"<class '(?:[\w.]*\.)?(\w+)'>", lambda m: m.group(1).upper(), description)
        near = first.get("highlight")
        text = f"line {line}, column {column}: {description}" + (f" near {near!r}" if near else "")
        raise SqlSyntaxError(f"syntax error ({dialect}): {text}", line=line, column=column) from None
    except TokenError as exc:
        from toolkit.sql.token_errors import token_problem

        found = token_problem(source_sql, dialect, getattr(exc, "start", None), getattr(exc, "end", None))
        raise SqlSyntaxError(f"syntax error ({dialect}): line {found.line}, column {found.column}: {found.message}",
                             line=found.line, column=found.column) from None
    if len(statements) != 1:
        raise SqlSyntaxError(f"expected exactly one SQL statement, found {len(statements)}", line=1, column=1)
    return statements[0]


def _annotate(tree: "exp.Expression", dialect: str, catalog: "GoldCatalog") -> "exp.Expression":
    """Set `.type` on the nodes of `tree` from the catalog. The optimizer qualifies and rewrites a copy (case,
    qualifiers, positional GROUP BY); types are carried back to the twin nodes of the untouched original."""
    from sqlglot.errors import OptimizeError
    from sqlglot.optimizer.annotate_types import annotate_types
    from sqlglot.optimizer.qualify import qualify

    from toolkit.sql.rules import decimals, duckdb_types
    from toolkit.sql.sqlglot_schema import catalog_schema

    twin = tree.copy()
    pairs = list(zip(tree.walk(), twin.walk()))
    schema = catalog_schema(catalog, dialect=dialect)
    try:
        qualified = qualify(
            twin, dialect=dialect, schema=schema, expand_alias_refs=False, expand_stars=False,
            validate_qualify_columns=False, quote_identifiers=False, identify=False,
        )
        annotate_types(qualified, schema=schema, dialect=dialect)
        if decimals.type_decimal_literals(qualified, dialect):  # sqlglot says DOUBLE: retype what they flow into
            annotate_types(qualified, schema=schema, dialect=dialect, overwrite_types=False)
        if duckdb_types.type_duckdb_functions(qualified, dialect):  # ROUND, arg_max: DuckDB's own types
            annotate_types(qualified, schema=schema, dialect=dialect, overwrite_types=False)
    except (OptimizeError, KeyError, ValueError):
        return tree  # types stay unknown; rules that need them then leave the node alone
    for original, copied in pairs:
        copied_type = getattr(copied, "type", None)
        if copied_type is not None:
            original.type = copied_type
    return tree


def _resolve_qualified(tree: "exp.Expression", catalog: "GoldCatalog") -> None:
    """`shop.orders` / `my-project.shop.orders` name a gold table by their last part: a BigQuery team writes its own
    dataset (and project) names, and each engine's real dataset comes from the config. Drop the qualifier so types,
    rules and table names apply as for a bare name; a qualified name that is no gold table is refused by name (DuckDB
    would fail with a bare "Catalog Error")."""
    from sqlglot import exp

    known = {name.lower() for name in catalog.names}
    for table in tree.find_all(exp.Table):
        if not table.args.get("db") or not table.name:
            continue
        written = ".".join(part.name for part in table.parts)
        if table.name.lower() not in known:
            first = table.parts[0]
            column = first.meta.get("col") - len(first.name) + 1 if first.meta.get("col") else None
            raise SqlSyntaxError(f"table {written!r} is not a gold table (matched by its last part {table.name!r}); "
                                 f"known: {', '.join(sorted(catalog.names))}", line=line_of(table), column=column)
        table.set("db", None)
        table.set("catalog", None)
    for column in tree.find_all(exp.Column):  # `shop.orders.amount` names the column of the same table
        if column.args.get("db") and column.table.lower() in known:
            column.set("db", None)
            column.set("catalog", None)


def bare_table_names(source_sql: str, dialect: str, catalog: "GoldCatalog") -> str:
    """`source_sql` with its dataset-qualified gold table names made bare (`shop.orders` -> `orders`), for running the
    source as written on the source dialect's oracle, whose tables carry bare names. Unchanged when nothing is
    qualified or the SQL does not parse (the oracle then reports the problem itself)."""
    from sqlglot import exp

    try:
        tree = _parse(source_sql, dialect)
    except SqlSyntaxError:
        return source_sql
    if not any(table.args.get("db") for table in tree.find_all(exp.Table)):
        return source_sql
    try:
        _resolve_qualified(tree, catalog)
    except SqlSyntaxError:
        return source_sql
    return tree.sql(dialect=dialect, pretty=True)


def _rename_tables(tree: "exp.Expression", engine: str, table_names: dict[str, str]) -> None:
    from sqlglot import exp

    lowered = {name.lower(): qualified for name, qualified in table_names.items()}
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    referenced = {c.table.lower() for c in tree.find_all(exp.Column) if c.table}
    for table in list(tree.find_all(exp.Table)):
        name = table.name.lower()
        if table.args.get("db") or name in ctes or name not in lowered:
            continue
        replacement = exp.to_table(lowered[name], dialect=engine)
        alias = table.args.get("alias")
        if alias is not None:
            replacement.set("alias", alias.copy())
        elif name in referenced:
            replacement.set("alias", exp.TableAlias(this=exp.to_identifier(table.name)))
        table.replace(replacement)


_PREPARED: dict[tuple[str, str, "GoldCatalog"], "exp.Expression"] = {}
_PREPARED_LOCK = threading.Lock()
_PREPARED_KEPT = 16  # sources
_REUSING = 0  # open `reusing()` scopes


@contextmanager
def reusing() -> Iterator[None]:
    """Within: a source compiled for several engines is parsed, resolved and annotated once, and the catalog's
    sqlglot schema is built once (`validate` compiles each file for three engines, one thread each). Outside, every
    compile starts from the text, so nothing computed under other code (a test's monkeypatched rule) is reused."""
    global _REUSING
    from toolkit.sql import sqlglot_schema

    with _PREPARED_LOCK:
        _REUSING += 1
        sqlglot_schema.keep(True)
    try:
        yield
    finally:
        with _PREPARED_LOCK:
            _REUSING -= 1
            if _REUSING == 0:
                _PREPARED.clear()
                sqlglot_schema.keep(False)


def _prepared(source_sql: str, source_dialect: str, catalog: "GoldCatalog") -> "exp.Expression":
    """Parse, resolve qualified names and annotate types: the same tree whatever the target engine. Inside
    `reusing()` the tree of the last few sources is kept and each call gets its own copy (rules rewrite it in place;
    a copy keeps types, positions and comments). A source that fails here is not kept: it raises again, with the
    same error, for each engine."""
    key = (source_sql, source_dialect, catalog)
    tree = _PREPARED.get(key) if _REUSING else None
    if tree is None:
        tree = _parse(source_sql, source_dialect)
        _resolve_qualified(tree, catalog)
        tree = _annotate(tree, source_dialect, catalog)
        if not _REUSING:
            return tree
        with _PREPARED_LOCK:  # engines compile on threads at once; at worst two of them prepare the same source
            if len(_PREPARED) >= _PREPARED_KEPT:
                _PREPARED.pop(next(iter(_PREPARED)))
            _PREPARED[key] = tree
    return tree.copy()


def compile_query(
    source_sql: str,
    *,
    source_dialect: str,
    engine: str,
    catalog: "GoldCatalog",
    table_names: dict[str, str] | None = None,
    pretty: bool = True,
) -> CompiledQuery:
    """Compile one query (refs already rendered with bare names) from `source_dialect` to `engine`."""
    from sqlglot.errors import UnsupportedError

    from toolkit.sql.rules import rules_for
    from toolkit.sql.rules.render import generate

    if engine not in COMPILE_ENGINES:
        raise UsageError(f"unknown engine {engine!r}; use one of {', '.join(COMPILE_ENGINES)}")
    from toolkit.sql.rules import PIVOTS

    pivot = PIVOTS.get((source_dialect, engine))
    if pivot is not None:
        return _compile_through(pivot, source_sql, source_dialect, engine, catalog, table_names, pretty)
    rules = rules_for(source_dialect, engine)
    tree = _prepared(source_sql, source_dialect, catalog)
    ctx = RuleContext(source=source_dialect, target=engine, table_columns={
        table.name.lower(): frozenset(c.name.lower() for c in table.columns) for table in catalog.tables})
    for rule in rules:
        tree = rule(tree, ctx)
    if table_names:
        _rename_tables(tree, engine, table_names)
    try:
        sql = generate(tree, engine, pretty)
    except UnsupportedError as exc:
        message = str(exc).splitlines()[0] if str(exc) else "unsupported construct"
        raise UnportableError(f"sqlglot cannot translate this to {engine}: {message}",
                              alternative=f"the same logic with functions {engine} shares with {source_dialect} "
                                          "(CASE, COALESCE, EXTRACT, arithmetic)") from None
    return CompiledQuery(engine=engine, sql=sql, source_sql=source_sql, notes=tuple(ctx.notes))


def _compile_through(pivot: str, source_sql: str, source_dialect: str, engine: str, catalog: "GoldCatalog",
                     table_names: dict[str, str] | None, pretty: bool) -> CompiledQuery:
    """source -> pivot (the source's semantics in the pivot's SQL) -> engine. Source errors keep their lines; an
    error of the second pass is about the pivot's text, so it names the pivot and carries no source line."""
    first = compile_query(source_sql, source_dialect=source_dialect, engine=pivot, catalog=catalog, pretty=True)
    try:
        second = compile_query(first.sql, source_dialect=pivot, engine=engine, catalog=catalog,
                               table_names=table_names, pretty=pretty)
    except UnportableError as exc:
        import re

        message = re.sub(r"^line \d+: ", "", exc.message)
        raise UnportableError(f"{message} (compiled through {pivot})", alternative="") from None
    return CompiledQuery(engine=engine, sql=second.sql, source_sql=source_sql,
                         notes=(*first.notes, *(n for n in second.notes if n not in first.notes)))


def compile_kpi(kpi: "KpiFile", engine: str, loaded: "LoadedConfig", catalog: "GoldCatalog") -> CompiledQuery:
    """Render refs, compile for `engine`; errors name the KPI file and its line."""
    from toolkit.sql.refs import render_refs, table_names_for

    source = render_refs(kpi.text, "source", loaded, path=kpi.path, catalog=catalog)
    names = table_names_for(engine, loaded, catalog.names)
    try:
        return compile_query(source, source_dialect=loaded.config.kpi.source_dialect, engine=engine,
                             catalog=catalog, table_names=names)
    except SqlSyntaxError as exc:
        raise SqlSyntaxError(f"{kpi.path}:{exc.line or 1}: {exc.message}", line=exc.line, column=exc.column) from None
    except UnportableError as exc:
        import re

        message = re.sub(r"^line \d+: ", "", exc.message)
        error = UnportableError(f"{kpi.path}:{exc.line or 1}: {message}", line=exc.line)
        error.alternative = exc.alternative
        raise error from None
