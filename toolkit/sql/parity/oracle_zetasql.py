"""The BigQuery oracle: Google's ZetaSQL reference evaluator (BigQuery's own SQL front end and semantics).

Independent of sqlglot. The evaluator runs about 3,000 rows/s, so it gets only the tables a query names (each
under the name the query uses: a compiled query says `project.dataset.t`, a source query says `t`), and parity
feeds it samples.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Mapping

from toolkit.sql.parity.oracle import OracleError

if TYPE_CHECKING:
    import pyarrow as pa


class ZetaSQLOracle:
    engine: ClassVar[str] = "bigquery"
    independent: ClassVar[bool] = True
    accepted_types: ClassVar[frozenset[tuple[str, str]]] = frozenset()  # result types are the engine's own
    description: ClassVar[str] = "BigQuery semantics from Google's ZetaSQL reference evaluator (independent of sqlglot)"

    def __init__(self, names: Mapping[str, str] | None = None, **_: Any):
        self._names = {bare: qualified.strip("`") for bare, qualified in (names or {}).items()}

    def tables_for(self, sql: str, tables: Mapping[str, "pa.Table"]) -> dict[str, "pa.Table"]:
        """The tables `sql` mentions, keyed by the name it uses (qualified when present, else bare)."""
        text = sql.lower()
        chosen: dict[str, "pa.Table"] = {}
        for bare, table in tables.items():
            qualified = self._names.get(bare)
            if qualified and qualified.lower() in text:
                chosen[qualified] = table
            elif bare.lower() in text:
                chosen[bare] = table
        return chosen

    def run(self, sql: str, tables: Mapping[str, "pa.Table"]) -> "pa.Table":
        from toolkit.errors import FedkitError
        from toolkit.sql.zetasql_service import ZetaSQL

        chosen = self.tables_for(sql, tables)
        _refuse_unreadable(chosen)
        try:
            return ZetaSQL.get().evaluate(sql, chosen)
        except FedkitError as exc:
            raise OracleError(exc.message.removeprefix("BigQuery (ZetaSQL): ")) from None
        except Exception as exc:  # the WASM runtime may fail on values it cannot convert
            from toolkit.sql.parity.oracle import first_line

            raise OracleError(f"ZetaSQL: {type(exc).__name__}: {first_line(exc)}") from None

    def prepare(self, tables: Mapping[str, "pa.Table"]) -> None:
        from toolkit.sql.zetasql_service import ZetaSQL

        ZetaSQL.get()  # the module load (or its one-time compile) is not a KPI's time

    def interrupt(self) -> None:
        from toolkit.sql.zetasql_service import ZetaSQL

        ZetaSQL.interrupt()

    def close(self) -> None:
        pass


def _refuse_unreadable(tables: Mapping[str, "pa.Table"]) -> None:
    """ZetaSQL evaluates any column name; a BigQuery external table takes no flexible column names
    (docs.cloud.google.com/bigquery/docs/external-tables, Limitations), so BigQuery could not answer at all."""
    from toolkit.gold.names import BQ_COLUMN_RULE, bigquery_name_problem

    for name, table in tables.items():
        for field in table.schema:
            problem = bigquery_name_problem(field.name)
            if problem:
                raise OracleError(f"table {name.rsplit('.', 1)[-1]}: column {field.name!r} {problem}; {BQ_COLUMN_RULE}; "
                                  "BigQuery cannot register this table")
