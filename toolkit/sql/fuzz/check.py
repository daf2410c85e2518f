"""One query through the differential check: the DuckDB source on DuckDB is the truth; the query compiled for
BigQuery runs on ZetaSQL's reference evaluator (BigQuery's own semantics, independent of sqlglot) and the query
compiled for DuckDB on DuckDB; each is compared with the truth by parity's comparison. Snowflake is compiled (a
compiler crash is a failure) but not run: fakesnow translates back to DuckDB with sqlglot, no independent oracle.

A refusal (UnportableError) is an answer, not a failure. A compiled query that errors on its engine, or answers
differently, is a failure; its signature (what failed, where) is what the shrinker must preserve.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from toolkit.sql.compile import COMPILE_ENGINES

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.gold.model import GoldCatalog
    from toolkit.sql.fuzz.query import Query

def run_on() -> tuple[str, ...]:
    """The engines whose parity oracle is independent of sqlglot (ZetaSQL for BigQuery, DuckDB itself): only their
    answers can disagree with the source for a reason other than sqlglot's own reading."""
    from toolkit.sql.parity.oracle import ORACLES, oracle_class

    return tuple(engine for engine in COMPILE_ENGINES if engine in ORACLES and oracle_class(engine).independent)


@dataclass(frozen=True)
class Outcome:
    status: str  # "pass" | "failure" | "invalid" (the source itself does not run: a generator bug)
    source_sql: str
    refusals: Mapping[str, str] = field(default_factory=dict)  # engine -> message
    signature: tuple[str, ...] | None = None  # ("mismatch" | "error" | "compile-error", engine[, error class])
    message: str = ""
    compiled_sql: str = ""
    truth_rows: tuple[tuple[Any, ...], ...] = ()
    engine_rows: tuple[tuple[Any, ...], ...] = ()


def error_class(message: str) -> str:
    """What an engine error says, without positions or quoted values: the shrinker keeps this one, not any error."""
    import re

    text = re.sub(r"\[at [^\]]*\]", "", message)
    text = re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "_", text)
    return text.strip()[:80]


class Checker:
    """Holds the tables and the two oracles across queries (ZetaSQL loads once, DuckDB registers once)."""

    def __init__(self, catalog: "GoldCatalog", tables: Mapping[str, "pa.Table"]):
        from toolkit.sql.parity.oracle import make_oracle

        self.catalog = catalog
        self.tables = dict(tables)
        self._oracles = {engine: make_oracle(engine) for engine in run_on()}

    def close(self) -> None:
        for oracle in self._oracles.values():
            oracle.close()

    def check(self, query: "Query") -> Outcome:
        return self.check_sql(query.sql())

    def check_sql(self, source: str) -> Outcome:
        from toolkit.sql.compile import UnportableError, compile_query
        from toolkit.sql.parity.compare import compare_tables, order_spec, table_rows
        from toolkit.sql.parity.oracle import OracleError
        from toolkit.sql.quiet import quiet_sqlglot

        try:
            truth = self._oracles["duckdb"].run(source, self.tables)
        except OracleError as exc:
            return Outcome("invalid", source, message=f"the source does not run on DuckDB: {exc.message}")
        refusals: dict[str, str] = {}
        compiled: dict[str, str] = {}
        with quiet_sqlglot():
            for engine in COMPILE_ENGINES:
                try:
                    compiled[engine] = compile_query(source, source_dialect="duckdb", engine=engine,
                                                     catalog=self.catalog, pretty=False).sql
                except UnportableError as exc:
                    refusals[engine] = exc.message
                except Exception as exc:  # a compiler crash is a bug like any other
                    return Outcome("failure", source, refusals, ("compile-error", engine),
                                   f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
        order = order_spec(source, "duckdb")
        for engine in self._oracles:
            if engine not in compiled:
                continue
            try:
                result = self._oracles[engine].run(compiled[engine], self.tables)
            except OracleError as exc:
                return Outcome("failure", source, refusals, ("error", engine, error_class(exc.message)), exc.message,
                               compiled[engine], tuple(table_rows(truth)[:5]))
            comparison = compare_tables(truth, result, order=order, engine=engine)
            if not comparison.passed:
                return Outcome("failure", source, refusals, ("mismatch", engine), comparison.message,
                               compiled[engine], comparison.reference_rows, comparison.engine_rows)
        return Outcome("pass", source, refusals)
