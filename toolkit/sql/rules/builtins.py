"""Built-in functions whose DuckDB name or meaning does not carry over to the target as sqlglot writes them (found
by the differential fuzzer, toolkit/sql/fuzz)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.sql.rules.base import RuleContext

if TYPE_CHECKING:
    from sqlglot import exp


def _calendar_functions() -> dict[type, str]:
    from sqlglot import exp

    return {exp.Year: "YEAR", exp.Quarter: "QUARTER", exp.Month: "MONTH", exp.Day: "DAY", exp.DayOfMonth: "DAY"}


def calendar_functions_as_extract(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `year(d)`, `quarter(d)`, `month(d)`, `day(d)` / `dayofmonth(d)` are date parts; sqlglot copies them to
    BigQuery as YEAR(d), QUARTER(d), ... which BigQuery does not have ("Function not found: YEAR"; BigQuery's date
    parts are EXTRACT(part FROM d): docs.cloud.google.com/bigquery/docs/reference/standard-sql/date_functions,
    EXTRACT). Emit `EXTRACT(YEAR FROM d)`, same numbers. Snowflake has YEAR(), QUARTER(), MONTH(), DAY() itself."""
    from sqlglot import exp

    if ctx.target != "bigquery":
        return tree
    parts = _calendar_functions()
    for node in reversed(list(tree.find_all(*parts))):  # innermost first: year(make_date(year(d), ...)) copies it
        extract = exp.Extract(this=exp.var(parts[type(node)]), expression=node.this.copy())
        extract.type = exp.DataType.build("BIGINT")
        node.replace(extract)
        ctx.note("calendar-parts", f"{type(node).__name__.upper()}(d) -> EXTRACT({parts[type(node)]} FROM d)")
    return tree


def contains_is_case_sensitive(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `contains(s, t)` is an exact, case-sensitive substring test (`contains('abc', '')` is true). sqlglot
    writes BigQuery CONTAINS_SUBSTR, which folds case and normalises Unicode first (docs.cloud.google.com/bigquery/
    docs/reference/standard-sql/string_functions, CONTAINS_SUBSTR: `CONTAINS_SUBSTR('the blue house', 'Blue')` is
    TRUE) and which ZetaSQL's reference evaluator does not even know. Emit `INSTR(s, t) > 0`: exact, NULL on a NULL
    operand, true for an empty t, as in the source (checked on ZetaSQL). Athena and Redshift get the same test
    (`STRPOS(s, t) > 0`): Trino's CONTAINS is the array function contains(array, element) (trino.io/docs/current/
    functions/array.html#contains) and Redshift has no CONTAINS for strings (docs.aws.amazon.com/redshift/latest/dg/
    r_STRPOS.html)."""
    from sqlglot import exp

    if ctx.target not in ("bigquery", "athena", "redshift"):
        return tree
    for node in list(tree.find_all(exp.Contains)):
        found = exp.GT(this=exp.StrPosition(this=node.this.copy(), substr=node.expression.copy()),
                       expression=exp.Literal.number(0))
        found.type = exp.DataType.build("BOOLEAN")
        node.replace(exp.Paren(this=found) if isinstance(node.parent, (exp.Binary, exp.Not)) else found)
        ctx.note("contains", "contains(s, t) -> INSTR(s, t) > 0 (exact and case-sensitive, as in the source)")
    return tree


def regexp_replace_first_match(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `regexp_replace(s, p, r)` replaces only the first match; with the 'g' option, every match
    (duckdb.org/docs/stable/sql/functions/regular_expressions; measured: `regexp_replace('banana', 'a', '-')` is
    'b-nana'). BigQuery REGEXP_REPLACE always replaces every match ('b-n-n-' on ZetaSQL) and has no first-match
    form: refused there unless the source says 'g'. Snowflake REGEXP_REPLACE(s, p, r, position, occurrence) replaces
    every match when occurrence is 0, the default (docs.snowflake.com/en/sql-reference/functions/regexp_replace):
    emit occurrence 1 for the source's first match, none for 'g' (sqlglot would pass 'g' as the position). Athena
    (Trino) and Redshift are BigQuery's case: their 3-argument REGEXP_REPLACE replaces every match and takes no 'g'
    (trino.io/docs/current/functions/regexp.html#regexp_replace; docs.aws.amazon.com/redshift/latest/dg/
    REGEXP_REPLACE.html, where a 4th argument is the position)."""
    from sqlglot import exp

    every_match_only = {"bigquery": "BigQuery", "athena": "Athena (Trino)", "redshift": "Redshift"}
    if ctx.target not in ("bigquery", "snowflake", "athena", "redshift"):
        return tree
    for node in list(tree.find_all(exp.RegexpReplace)):
        modifiers = node.args.get("modifiers")
        every = isinstance(modifiers, exp.Literal) and modifiers.this == "g"
        if modifiers is not None and not every:
            raise ctx.refuse(node, "regexp_replace options other than 'g' have no portable form",
                             "regexp_replace(s, p, r, 'g') with the option written into the pattern, e.g. '(?i)...'")
        node.set("modifiers", None)
        if every:
            ctx.note("regexp-replace", "regexp_replace(..., 'g') replaces every match on every engine")
            continue
        if ctx.target in every_match_only:
            raise ctx.refuse(node, "regexp_replace without 'g' replaces only the first match; "
                             f"{every_match_only[ctx.target]}'s REGEXP_REPLACE replaces every match and has no "
                             "first-match form",
                             "regexp_replace(s, p, r, 'g') when every match should be replaced, or a pattern "
                             "anchored to match once (e.g. '^...')")
        node.set("position", exp.Literal.number(1))
        node.set("occurrence", exp.Literal.number(1))
        ctx.note("regexp-replace", "REGEXP_REPLACE(s, p, r, 1, 1): only the first match, as in the source")
    return tree


def arg_max_as_array_agg(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB `arg_max(x, k)` / `arg_min(x, k)` is x on the row with the largest / smallest k, ignoring rows where x or
    k is NULL (duckdb.org/docs/stable/sql/functions/aggregates; measured: over (NULL, 3), ('b', 2) it is 'b').
    sqlglot writes MAX_BY / MIN_BY, which BigQuery does not have ("Function not found: MAX_BY"). Emit
    `ARRAY_AGG(IF(k IS NULL, NULL, x) IGNORE NULLS ORDER BY k DESC LIMIT 1)[SAFE_OFFSET(0)]`: IGNORE NULLS drops the
    same rows, an empty group gives NULL (checked on ZetaSQL). As a window function it has no such form: refused."""
    import sqlglot
    from sqlglot import exp

    if ctx.target != "bigquery":
        return tree
    for node in list(tree.find_all(exp.ArgMax, exp.ArgMin)):
        if isinstance(node.parent, exp.Window):
            raise ctx.refuse(node, "arg_max/arg_min as a window function has no BigQuery form",
                             "first_value(x) OVER (PARTITION BY ... ORDER BY k DESC) with an explicit frame")
        direction = "DESC" if isinstance(node, exp.ArgMax) else "ASC"
        # a constant k orders nothing (and BigQuery would read an integer literal as a position)
        order = f" ORDER BY __k {direction}" if node.expression.find(exp.Column) else ""
        template = sqlglot.parse_one(
            f"ARRAY_AGG(IF(__k IS NULL, NULL, __x) IGNORE NULLS{order} LIMIT 1)[SAFE_OFFSET(0)]", read="bigquery")
        for column in list(template.find_all(exp.Column)):
            column.replace((node.this if column.name == "__x" else node.expression).copy())
        template.type = node.this.type
        node.replace(template)
        ctx.note("arg-max", f"{type(node).__name__} -> ARRAY_AGG(... IGNORE NULLS ORDER BY k LIMIT 1)[SAFE_OFFSET(0)]")
    return tree


def _holds_current_row(spec: "exp.Expression") -> bool:
    """A ROWS/RANGE frame from before (or at) the current row to after (or at) it (widened fuzzer, seed 352:
    `last_value(TRY_CAST('x' AS DATE) IGNORE NULLS) OVER (... ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED
    FOLLOWING)`)."""
    start, end = spec.args.get("start"), spec.args.get("end")
    starts = start == "CURRENT ROW" or spec.args.get("start_side") == "PRECEDING"
    ends = end == "CURRENT ROW" or spec.args.get("end_side") == "FOLLOWING"
    return starts and ends


def constant_value_window_is_the_constant(tree: "exp.Expression", ctx: RuleContext) -> "exp.Expression":
    """DuckDB's `first_value(c) OVER (...)` of a constant c (no column) is c on every row whose frame holds a row;
    BigQuery rejects it when c is a NULL constant ("The argument to LAST_VALUE must be non-NULL", ZetaSQL; e.g.
    `last_value(TRY_CAST('' AS DATE))`). With a frame that holds the current row (the default, which
    `explicit_window_frame` spells out, or any from PRECEDING/CURRENT ROW to CURRENT ROW/FOLLOWING), the answer is c
    itself, with IGNORE NULLS too: emit it."""
    from sqlglot import exp

    if ctx.target != "bigquery":
        return tree
    for window in list(tree.find_all(exp.Window)):
        func = window.this
        if isinstance(func, exp.IgnoreNulls):  # IGNORE NULLS of a constant: still c (NULL when c is NULL)
            func = func.this
        if not isinstance(func, (exp.FirstValue, exp.LastValue)) or func.this.find(exp.Column) is not None:
            continue
        spec = window.args.get("spec")
        if spec is not None and not _holds_current_row(spec):
            continue  # a frame that may not hold the current row may be empty: NULL, not c
        constant = func.this.copy()
        constant.type = getattr(func, "type", None) or getattr(func.this, "type", None)
        window.replace(constant)
        ctx.note("value-window", "first_value/last_value of a constant is that constant")
    return tree
