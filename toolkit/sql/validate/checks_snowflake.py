"""How `fedkit validate` checks SQL for Snowflake offline (reached through Snowflake's engine traits).

KPI queries: sqlglot's qualifier over the gold schema, then fakesnow (toolkit.sql.validate.local_engines). Registration
DDL: sqlglot's Snowflake parser, refusing what it can only keep as an opaque command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.sql.validate.model import Problem

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.sql.validate.files import FileValidator


def offline_checker(validator: "FileValidator") -> Any:
    from toolkit.sql.validate.local_engines import SnowflakeChecker

    sf = validator.loaded.config.snowflake
    assert sf is not None
    return SnowflakeChecker(validator.catalog, validator.table_names["snowflake"], sf.database, sf.schema_,
                            validator.source_dialect)


def ddl_problem(sql: str, loaded: "LoadedConfig | None") -> Problem | None:
    """What sqlglot's Snowflake grammar says about one rendered statement, positioned in `sql` where it can."""
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
