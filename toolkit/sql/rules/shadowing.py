"""Names that are both a source column and a SELECT alias: which one GROUP BY, WHERE and aggregate arguments mean."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp


def column_over_alias(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB (like Snowflake) reads a name that is both an input column and a SELECT alias as the column in GROUP
    BY, WHERE and inside aggregate arguments (`SELECT q % 3 AS q … GROUP BY q` groups by the column). BigQuery
    resolves GROUP BY, HAVING and ORDER BY names to the SELECT alias first (docs: query-syntax, "GROUP BY clause":
    "If a query contains aliases in the SELECT clause, those aliases override names in the corresponding FROM
    clause"), so the same text silently groups by the expression, and `SUM(q)` in HAVING or ORDER BY becomes an
    aggregate of an aggregate. A table-qualified column can never be an alias: qualify those references."""
    from sqlglot import exp

    for select in list(tree.find_all(exp.Select)):
        shadowing = _shadowing_aliases(select)
        if not shadowing:
            continue
        for clause, only_in_aggregates in (("where", False), ("group", False), ("having", True), ("order", True)):
            node = select.args.get(clause)
            if node is None:
                continue
            for column in list(node.find_all(exp.Column)):
                if column.table or column.name.lower() not in shadowing:
                    continue
                if column.find_ancestor(exp.Select) is not select:
                    continue  # a subquery's own scope
                if only_in_aggregates and not isinstance(column.find_ancestor(exp.AggFunc, exp.Select), exp.AggFunc):
                    continue  # a bare HAVING/ORDER BY name means the alias on every engine
                qualifier = _source_of(column, select, ctx)
                if qualifier is None:
                    continue
                column.set("table", exp.to_identifier(qualifier))
                ctx.note("column_over_alias", f"{column.name} is the input column, not the SELECT alias")
    return tree


def _shadowing_aliases(select: "exp.Select") -> set[str]:
    from sqlglot import exp

    names = set()
    for item in select.expressions:
        if not isinstance(item, exp.Alias):
            continue
        inner = item.this
        if isinstance(inner, exp.Column) and inner.name.lower() == item.alias.lower():
            continue  # `q AS q` is the column itself
        names.add(item.alias.lower())
    return names


def _source_of(column: "exp.Column", select: "exp.Select", ctx: RuleContext) -> str | None:
    """The one FROM source that has a column of this name (a gold table by the catalog, a derived table by what it
    projects); None when the name is only the alias, or when it is ambiguous (left for the engine to report)."""
    from sqlglot import exp

    name = column.name.lower()
    sources = [s for s in [select.args.get("from_") or select.args.get("from")] if s is not None]
    sources = [s.this for s in sources] + [j.this for j in select.args.get("joins") or []]
    ctes = {cte.alias_or_name.lower(): cte.this for cte in (select.args.get("with_") or select.args.get("with") or
                                                            exp.With()).expressions}
    candidates = []
    for source in sources:
        if isinstance(source, exp.Subquery):
            projected = getattr(source.this, "named_selects", [])
        elif isinstance(source, exp.Table) and source.name.lower() in ctes:
            projected = getattr(ctes[source.name.lower()], "named_selects", [])
        elif isinstance(source, exp.Table):
            projected = ctx.table_columns.get(source.name.lower(), ())
        else:
            return None  # a function or UNNEST source: its columns are not known here
        if name in {p.lower() for p in projected}:
            candidates.append(source)
    if len(candidates) == 1 and candidates[0].alias_or_name:
        return candidates[0].alias_or_name
    return None
