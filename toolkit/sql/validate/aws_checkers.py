"""Offline checks for Athena and Redshift KPIs: sqlglot parses the compiled text in the engine's dialect, every
table must be a gold table under its engine name, the qualifier resolves every column against the gold catalog
(unknown column -> the line of the KPI), then the stand-in's DuckDB translation is EXPLAINed over empty tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.sql.validate.model import Problem

if TYPE_CHECKING:
    from toolkit.gold.model import GoldCatalog

class AwsChecker:
    def __init__(self, engine: str, catalog: "GoldCatalog", table_names: dict[str, str]):
        from sqlglot import exp
        from sqlglot.schema import MappingSchema

        from toolkit.sql.sqlglot_schema import sqlglot_type
        from toolkit.sql.validate.local_engines import DuckDBChecker

        self.engine = engine
        self.dialect = engine
        self.catalog = catalog
        self.table_names = table_names
        nested: dict[str, Any] = {}
        self.known: set[tuple[str, ...]] = set()
        for table in catalog.tables:
            parts = [p.name.lower() for p in exp.to_table(table_names[table.name], dialect=self.dialect).parts]
            self.known.add(tuple(parts))
            node = nested
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = {c.name.lower(): exp.DataType.build(sqlglot_type(c.type), dialect="duckdb")
                               for c in table.columns}
        self.schema = MappingSchema(nested, dialect=self.dialect)
        self._duckdb = DuckDBChecker(catalog, {})

    def check(self, sql: str) -> Problem | None:
        import sqlglot
        from sqlglot import exp
        from sqlglot.errors import OptimizeError, ParseError, TokenError
        from sqlglot.optimizer.qualify import qualify

        from toolkit.sql.validate.local_engines import _qualify_problem

        try:
            tree = sqlglot.parse_one(sql, read=self.dialect)
        except (ParseError, TokenError) as exc:
            errors = getattr(exc, "errors", None) or [{}]
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return Problem(f"{self.engine} syntax: {first}", errors[0].get("line"), errors[0].get("col"))
        ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
        for table in tree.find_all(exp.Table):
            if not table.name or not isinstance(table.this, exp.Identifier):
                continue
            key = tuple(p.name.lower() for p in table.parts)
            if len(key) == 1 and key[0] in ctes:
                continue
            if not any(known[-len(key):] == key for known in self.known):
                return Problem(f"table '{'.'.join(key)}' does not exist (not a gold table)", name=table.name)
        try:
            qualify(tree, schema=self.schema, dialect=self.dialect, validate_qualify_columns=True, expand_stars=True,
                    quote_identifiers=False)
        except OptimizeError as exc:
            return _qualify_problem(str(exc))
        except (KeyError, ValueError):
            pass  # constructs the qualifier does not model: left to the stand-in below
        return self._standin(sql)

    def _standin(self, sql: str) -> Problem | None:
        from toolkit.engines.aws_translate import to_duckdb
        from toolkit.sql.parity.oracle import OracleError

        try:
            translated = to_duckdb(sql, self.engine, self.catalog, self.table_names)
        except OracleError as exc:
            return Problem(exc.message)
        problem = self._duckdb.check(translated)
        if problem is None:
            return None
        # positions are in the translation, not the compiled text: keep the culprit's name for mapping
        return Problem(f"{self.engine} stand-in (DuckDB): {problem.message}", name=problem.name)

    def close(self) -> None:
        self._duckdb.close()
