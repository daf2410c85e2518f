"""How `fedkit validate` checks SQL for BigQuery offline (reached through BigQuery's engine traits).

KPI queries: the Omni rules, then ZetaSQL, BigQuery's own analyzer, over a catalog of the gold tables (registered once
per process). Before compiling: a table BigQuery cannot read, and what Omni refuses in the text (JavaScript UDFs,
BigQuery ML). Registration DDL: ZetaSQL's parser, then the Omni DDL rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.sql.validate.model import Problem

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.validate.files import FileValidator

ENGINE = "bigquery"
BIGQUERY_UNREADABLE_FIX = ("fedkit cannot register this table on BigQuery: rename the column in the Parquet, or leave "
                           "the bigquery: section out of the config for this project")


class ZetaSQLChecker:
    """Compiled BigQuery SQL against the Omni rules and ZetaSQL's analyzer."""

    def __init__(self, validator: "FileValidator"):
        self.validator = validator
        self._zeta: Any = None

    def zeta(self) -> Any:
        if self._zeta is None:
            from toolkit.sql.zetasql_service import ZetaSQL

            zeta = ZetaSQL.get()
            names = {t: [n.strip("`"), n.strip("`").split(".", 1)[-1]]
                     for t, n in self.validator.table_names[ENGINE].items()}
            zeta.register_catalog(self.validator.catalog, table_names=names)
            self._zeta = zeta
        return self._zeta

    def check(self, sql: str) -> Problem | None:
        from toolkit.sql.validate import omni

        bq = self.validator.loaded.config.bigquery
        assert bq is not None
        problems = omni.query_problems(sql, project=bq.project, dataset=bq.dataset, location=bq.location)
        if problems:
            return problems[0]
        found = self.zeta().analyze(sql)
        return None if found is None else Problem(found.message, found.line, found.column)

    def close(self) -> None:
        """Nothing to close: the ZetaSQL service is shared by the whole process."""


def source_problem(validator: "FileValidator", raw: str, source: str) -> tuple[str, int | None, int | None] | None:
    """(message, line, column in `raw`) of what fails on BigQuery before compiling, or None."""
    from toolkit.sql.refs import code_refs
    from toolkit.sql.validate.files import _column_of_ref
    from toolkit.sql.validate.omni import text_problems
    from toolkit.sql.validate.positions import raw_position

    unreadable = validator.unreadable.get(ENGINE, {})
    for table, line in code_refs(raw):
        problem = unreadable.get(table.lower())
        if problem:  # the table cannot exist on BigQuery: say why, at the ref(), instead of "not found"
            return problem, line, _column_of_ref(raw, line)
    found = text_problems(source)  # JS UDFs, BigQuery ML: before compiling (a UDF + query won't compile)
    if found:
        line, column = raw_position(source, raw, found[0].line or 1, found[0].column, validator.source_dialect)
        return found[0].message, line, column
    return None


def native_parse(validator: "FileValidator", source: str) -> Problem | None:
    """ZetaSQL's parser on a BigQuery-dialect source."""
    found = validator.zeta_service().parse(source)
    return None if found is None else Problem(f"syntax error (bigquery): {found.message}", found.line, found.column)


def unreadable_tables(catalog: "GoldCatalog") -> dict[str, str]:
    """{table name, lower case: why} for the tables a BigQuery external table cannot read (flexible column names)."""
    from toolkit.gold.names import bigquery_table_problem

    found = {}
    for table in catalog.tables:
        problem = bigquery_table_problem(table)
        if problem:
            found[table.name.lower()] = f"{problem}; {BIGQUERY_UNREADABLE_FIX}"
    return found


def ddl_problem(sql: str, loaded: "LoadedConfig | None") -> Problem | None:
    """ZetaSQL's parser, then the Omni DDL rules, on one rendered statement."""
    from toolkit.sql.validate import omni
    from toolkit.sql.zetasql_service import ZetaSQL

    found = ZetaSQL.get().parse(sql)
    if found is not None:
        return Problem(found.message, found.line, found.column)
    bq = loaded.config.bigquery if loaded is not None else None
    problems = omni.ddl_problems(sql, location=bq.location if bq else "")
    return problems[0] if problems else None
