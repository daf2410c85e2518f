"""KPI views (`kpi.publish_views: true`), the pure part: what should exist, the DDL, and the plan.

Each KPI becomes a view named `kpi_<name>` in the BigQuery gold dataset and in the Snowflake gold schema, whose
query is the KPI compiled for that engine by the same compiler as `fedkit kpi compile` (fully-qualified table
names), so BI tools read the same numbers on both engines.

Decisions:
- Ownership: the view's description (BigQuery) / comment (Snowflake) ends with `managed by fedkit (kpi <name>)`.
  Only a view with that marker, for that very view name, is ever replaced or dropped; a view of the same name that
  fedkit did not make is reported (`drift`) and left alone.
- Idempotence: the observed query is compared with the desired one after both are printed by sqlglot in the
  engine's dialect (so whitespace, keyword case and how the engine echoes the text back do not count), and the
  description/comment is compared as text. Equal -> no action; else `update` (CREATE OR REPLACE), whose diff shows
  the query change and the DDL. Views may be replaced freely (unlike storage integrations).
- A KPI that does not compile for an engine (unportable, syntax error, unknown table) does not block apply: it
  becomes a report-only `drift` action naming the KPI, the engine and the compiler's message; an existing view for
  it is left as it is (BI dashboards keep working; the report says it is stale).
- A managed view whose KPI file was removed -> `delete` (DROP VIEW IF EXISTS).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from toolkit.planning.actions import Action

if TYPE_CHECKING:
    from toolkit.config import Config, LoadedConfig
    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.kpi_files import KpiFile

VIEW_PREFIX = "kpi_"
MARKER = "managed by fedkit"
_MARKER_RE = re.compile(r"managed by fedkit \(kpi ([A-Za-z_][A-Za-z0-9_]*)\)\s*$")
VIEW_ENGINES = ("bigquery", "snowflake")
DRIFT = "drift"


@dataclass(frozen=True)
class ObservedView:
    """A view as the engine reports it: name as stored, its query text (or the whole CREATE text), its comment."""

    name: str
    query: str | None
    comment: str = ""


@dataclass(frozen=True)
class DesiredView:
    engine: str
    kpi: str
    container: tuple[str, ...]  # BigQuery (project, dataset); Snowflake (database, schema), as configured
    name: str  # view name as written in DDL (kpi_<name>)
    query: str  # the compiled KPI
    comment: str  # description / comment, with fedkit's marker
    ddl: str

    @property
    def key(self) -> str:
        return view_key(self.engine, self.name)

    @property
    def resource(self) -> str:
        return view_resource(self.engine, self.container, self.name)


@dataclass(frozen=True)
class RefusedView:
    """A KPI that does not compile for the engine: reported, never blocks the rest."""

    engine: str
    kpi: str
    container: tuple[str, ...]
    name: str
    message: str

    @property
    def key(self) -> str:
        return view_key(self.engine, self.name)

    @property
    def resource(self) -> str:
        return view_resource(self.engine, self.container, self.name)


# -- names ----------------------------------------------------------------------------------------------------------
def view_name(kpi: str) -> str:
    return f"{VIEW_PREFIX}{kpi}"


def _snowflake_stored(name: str) -> str:
    from toolkit.registration.desired import sf_resolved

    return sf_resolved(name)


@dataclass(frozen=True)
class _ViewDialect:
    """How one engine names, places and describes a view: the per-engine differences as data."""

    resource_kind: str  # resource prefix in plans
    container_keys: tuple[str, str]  # template names of the two container parts
    comment_key: str  # template name of the description/comment
    stored_name: "Callable[[str], str]"  # the name the engine keeps (Snowflake upper-cases plain identifiers)
    shown_container: "Callable[[tuple[str, ...]], str]"  # the container part of the resource name
    container_of: "Callable[[Config], tuple[str, ...] | None]"


_DIALECTS: dict[str, _ViewDialect] = {
    "bigquery": _ViewDialect(
        resource_kind="bigquery_view",
        container_keys=("project", "dataset"),
        comment_key="description",
        stored_name=lambda name: name,
        shown_container=lambda container: container[-1],
        container_of=lambda c: (c.bigquery.project, c.bigquery.dataset) if c.bigquery is not None else None,
    ),
    "snowflake": _ViewDialect(
        resource_kind="snowflake_view",
        container_keys=("database", "schema"),
        comment_key="comment",
        stored_name=_snowflake_stored,
        shown_container=lambda container: ".".join(container),
        container_of=lambda c: (c.snowflake.database, c.snowflake.schema_) if c.snowflake is not None else None,
    ),
}


def view_key(engine: str, name: str) -> str:
    """The name the engine stores: Snowflake upper-cases plain identifiers; BigQuery keeps it exact."""
    return _DIALECTS[engine].stored_name(name)


def view_resource(engine: str, container: tuple[str, ...], name: str) -> str:
    dialect = _DIALECTS[engine]
    return f"{dialect.resource_kind}/{dialect.shown_container(container)}.{name}"


def view_comment(kpi: "KpiFile") -> str:
    description = " ".join(kpi.description.split())
    tail = f"{MARKER} (kpi {kpi.name})"
    return f"{description} | {tail}" if description else tail


def managed_kpi(comment: str | None) -> str | None:
    """The KPI named by fedkit's marker in a view comment, or None when fedkit did not make the view."""
    match = _MARKER_RE.search(comment or "")
    return match.group(1) if match else None


def container_for(engine: str, loaded: "LoadedConfig") -> tuple[str, ...]:
    from toolkit.errors import UsageError

    container = _DIALECTS[engine].container_of(loaded.config)
    if container is None:
        raise UsageError(f"{loaded.path}: {engine}: section is required to publish KPI views")
    return container


# -- DDL ------------------------------------------------------------------------------------------------------------
def _template_names(engine: str, container: tuple[str, ...], name: str) -> dict[str, str]:
    first, second = _DIALECTS[engine].container_keys
    return {first: container[0], second: container[1], "view": name}


def view_ddl(engine: str, container: tuple[str, ...], name: str, query: str, comment: str) -> str:
    """`CREATE OR REPLACE VIEW …` for one KPI (sql/ddl/<engine>/view.sql.j2)."""
    from toolkit.sql.ddl import render

    extra = {_DIALECTS[engine].comment_key: comment}
    return render(engine, "view", query=query.strip().rstrip(";"), **extra, **_template_names(engine, container, name))


def drop_view_ddl(engine: str, container: tuple[str, ...], name: str) -> str:
    from toolkit.sql.ddl import render

    return render(engine, "drop_view", **_template_names(engine, container, name))


# -- desired --------------------------------------------------------------------------------------------------------
def desired_views(
    engine: str, loaded: "LoadedConfig", catalog: "GoldCatalog", kpis: Iterable["KpiFile"]
) -> list[DesiredView | RefusedView]:
    """One entry per KPI: the view to publish, or why it cannot be published on `engine`. Pure (compiles only)."""
    from toolkit.errors import FedkitError
    from toolkit.sql.compile import compile_kpi

    container = container_for(engine, loaded)
    result: list[DesiredView | RefusedView] = []
    for kpi in kpis:
        name = view_name(kpi.name)
        try:
            query = compile_kpi(kpi, engine, loaded, catalog).sql.strip().rstrip(";")
            comment = view_comment(kpi)
            ddl = view_ddl(engine, container, name, query, comment)
        except FedkitError as exc:
            result.append(RefusedView(engine, kpi.name, container, name, exc.message))
            continue
        result.append(DesiredView(engine, kpi.name, container, name, query, comment, ddl))
    return result


# -- comparing queries ----------------------------------------------------------------------------------------------
def canonical_query(text: str | None, dialect: str) -> str:
    """The query printed by sqlglot on one line (the SELECT of a `CREATE VIEW … AS SELECT` when given the whole
    statement); whitespace-collapsed text when sqlglot cannot parse it."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    if not text:
        return ""
    try:
        tree = sqlglot.parse_one(text.strip().rstrip(";"), read=dialect)
    except SqlglotError:
        return " ".join(text.split())
    if isinstance(tree, exp.Create) and tree.expression is not None:
        tree = tree.expression
    return tree.sql(dialect=dialect)


def view_query_text(text: str | None, dialect: str) -> str | None:
    """The query of a view from what an engine reports: Snowflake's `SHOW VIEWS` text is the whole CREATE
    statement, BigQuery's `view_query` is the query itself. Pretty, for diffs."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    if text is None:
        return None
    try:
        tree = sqlglot.parse_one(text.strip().rstrip(";"), read=dialect)
    except SqlglotError:
        return text
    if isinstance(tree, exp.Create) and tree.expression is not None:
        return tree.expression.sql(dialect=dialect, pretty=True)
    return text


# -- plan -----------------------------------------------------------------------------------------------------------
def _diff(before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), "view (now)", "view (KPI)", lineterm="", n=2)
    return "\n".join(lines)


def plan_views(
    engine: str,
    container: tuple[str, ...],
    desired: list[DesiredView | RefusedView],
    observed: dict[str, ObservedView],
) -> list[Action]:
    """(desired, observed views in the dataset/schema keyed by stored name) -> actions, in KPI order then deletes."""
    actions: list[Action] = []
    dialect = engine
    wanted = {entry.key for entry in desired}
    for entry in desired:
        current = observed.get(entry.key)
        managed = current is not None and managed_kpi(current.comment) == entry.kpi
        if isinstance(entry, RefusedView):
            kept = "; the existing view keeps its previous definition" if managed else ""
            actions.append(Action(engine, DRIFT, entry.resource,
                                  f"KPI {entry.kpi} is not published on {engine}: {entry.message}{kept}", "",
                                  {"op": "drift"}))
            continue
        if current is None:
            actions.append(Action(engine, "create", entry.resource, f"view of KPI {entry.kpi}", entry.ddl,
                                  {"op": "create_view", "view": entry}))
            continue
        if not managed:
            actions.append(Action(
                engine, DRIFT, entry.resource,
                f"a view named {entry.name} exists but fedkit did not make it (no '{MARKER} (kpi {entry.kpi})' in its "
                "comment); left alone: drop or rename it to publish this KPI", "", {"op": "drift"}))
            continue
        same_query = canonical_query(current.query, dialect) == canonical_query(entry.query, dialect)
        same_comment = (current.comment or "").strip() == entry.comment
        if same_query and same_comment:
            continue
        changed = [part for part, same in (("query", same_query), ("comment", same_comment)) if not same]
        before = view_query_text(current.query, dialect) or ""
        diff = _diff(before, entry.query) if not same_query else f"- comment: {current.comment}\n+ comment: {entry.comment}"
        actions.append(Action(engine, "update", entry.resource,
                              f"view of KPI {entry.kpi}: {' and '.join(changed)} changed; replaced",
                              diff + "\n\n" + entry.ddl, {"op": "create_view", "view": entry}))
    for key in sorted(observed):
        current = observed[key]
        kpi = managed_kpi(current.comment)
        if key in wanted or kpi is None or view_key(engine, view_name(kpi)) != key:
            continue  # desired, or not fedkit's, or fedkit's marker on a view it did not name: never dropped
        sql = drop_view_ddl(engine, container, current.name)
        actions.append(Action(engine, "delete", view_resource(engine, container, current.name),
                              f"KPI {kpi} is no longer in the suite; its view is dropped", sql,
                              {"op": "drop_view", "sql": sql, "container": container, "name": current.name}))
    return actions
