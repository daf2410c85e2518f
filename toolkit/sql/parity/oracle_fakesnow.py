"""The Snowflake oracle: fakesnow, in process (no server), loaded the way real Snowflake is loaded.

NOT independent: fakesnow translates Snowflake SQL to DuckDB with sqlglot and runs it on DuckDB, so it proves the
Snowflake text parses and runs, and catches Snowflake-only functions sqlglot does not know, but it shares
sqlglot's blind spots. Known infidelities seen here: SUM/AVG over NUMBER come back as DOUBLE (Snowflake keeps
NUMBER), and the session time zone is fixed to UTC (which is what parity wants anyway).

Loading: each table is written to a local Parquet file, `PUT file://… @stage AUTO_COMPRESS = FALSE`, then
`COPY INTO t … MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE` (tens of milliseconds per table; row INSERTs take minutes
and write_pandas does not work against fakesnow's server). Tables are created with the Snowflake types of the
project's type map and **unquoted** column names (upper-case-resolving, like the registered external tables), in
the database and schema the compiled SQL names (`snowflake.database` / `snowflake.schema` of the config).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Mapping

from toolkit.sql.parity.oracle import OracleError, first_line, tables_fingerprint

if TYPE_CHECKING:
    import pyarrow as pa

STAGE = "FEDKIT_PARITY_STAGE"
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def snowflake_identifier(name: str) -> str:
    """Unquoted (upper-case-resolving) when the name is a plain identifier, else quoted exactly."""
    if name.startswith('"') and name.endswith('"'):
        return name
    return name.upper() if _PLAIN.match(name) else '"' + name.replace('"', '""') + '"'


def create_table_sql(qualified: str, schema: "pa.Schema") -> str:
    from toolkit.types import from_arrow, render_column

    columns = ",\n  ".join(
        f"{snowflake_identifier(f.name)} {render_column(from_arrow(f.type), 'snowflake', qualified, f.name, str(f.type))}"
        for f in schema
    )
    return f"CREATE OR REPLACE TABLE {qualified} (\n  {columns}\n)"


class FakesnowOracle:
    engine: ClassVar[str] = "snowflake"
    independent: ClassVar[bool] = False
    description: ClassVar[str] = (
        "Snowflake from fakesnow (in process) - NOT independent: fakesnow translates Snowflake SQL to DuckDB "
        "with sqlglot, so it proves the Snowflake text runs but shares sqlglot's blind spots; it also sums NUMBER "
        "columns as DOUBLE, so its decimal sums are compared with the float tolerance, not exactly, and its "
        "DOUBLE where the reference has a NUMBER (or its TIMESTAMP where DATE_TRUNC keeps a DATE) is not "
        "reported as a type mismatch; exact division and AVG scales, TO_CHAR formats, FLOAT-to-integer rounding, "
        "MEDIAN/PERCENTILE_CONT decimals and RATIO_TO_REPORT are restated by fedkit's model of Snowflake's "
        "documented behaviour before fakesnow runs them"
    )
    # Result types fakesnow gets wrong where real Snowflake does not (reference family, fakesnow family), accepted and
    # stated in the description above: SUM/AVG over NUMBER and NUMBER / NUMBER come back DOUBLE where Snowflake keeps
    # fixed-point (docs.snowflake.com/sql-reference/operators-arithmetic, "Scale and precision in arithmetic
    # operations"; DESIGN §6, division: 1/3 = 0.333333); DATE_TRUNC of a DATE comes back
    # TIMESTAMP_NTZ ("The returned value is the same type as the input value":
    # docs.snowflake.com/sql-reference/functions/date_trunc, "Returns").
    accepted_types: ClassVar[frozenset[tuple[str, str]]] = frozenset(
        {("decimal", "float"), ("integer", "float"), ("date", "datetime")})

    def __init__(self, names: Mapping[str, str] | None = None, database: str = "ANALYTICS", schema: str = "GOLD",
                 **_: Any):
        self._names = dict(names or {})
        self._database = database
        self._schema = schema
        self._fakesnow: Any = None
        self._conn: Any = None
        self._fingerprint: tuple[tuple[str, int], ...] | None = None
        self._folder: Path | None = None
        self._failed: dict[str, str] = {}  # table -> why it could not be loaded (queries naming it get the error)

    def _connect(self) -> None:
        if self._conn is not None:
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from fakesnow.instance import FakeSnow

            self._fakesnow = FakeSnow()  # its DuckDB session is pinned to UTC
            self._conn = self._fakesnow.connect(database=self._database.strip('"'), schema=self._schema.strip('"'))
        self._folder = Path(tempfile.mkdtemp(prefix="fedkit-parity-"))
        self._execute(f"CREATE STAGE IF NOT EXISTS {STAGE}")

    def _execute(self, sql: str) -> Any:
        from toolkit.sql.quiet import quiet_sqlglot

        cursor = self._conn.cursor()
        with warnings.catch_warnings(), quiet_sqlglot():  # fakesnow's own sqlglot translation is not the user's
            warnings.simplefilter("ignore")  # fakesnow warns about an extra Arrow copy on every query
            cursor.execute(sql)
        return cursor

    def load(self, tables: Mapping[str, "pa.Table"]) -> None:
        """Create and fill one table per gold table (a no-op when these very tables are loaded already)."""
        import pyarrow.parquet as pq

        fingerprint = tables_fingerprint(tables)
        if self._conn is not None and fingerprint == self._fingerprint:
            return
        self._connect()
        assert self._folder is not None
        self._failed = {}
        for index, (bare, table) in enumerate(sorted(tables.items())):
            qualified = self._names.get(bare) or snowflake_identifier(bare)
            path = self._folder / f"t{index}-{len(str(fingerprint))}-{id(table)}.parquet"
            pq.write_table(table, path)
            target = f"@{STAGE}/t{index}_{id(table)}/"
            try:
                self._execute(create_table_sql(qualified, table.schema))
                self._execute(f"PUT 'file://{path.as_posix()}' {target} AUTO_COMPRESS = FALSE")
                self._execute(
                    f"COPY INTO {qualified} FROM {target} FILE_FORMAT = (TYPE = PARQUET) "
                    "MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE"
                )
            except Exception as exc:  # the connector's errors and fakesnow's NotImplementedError alike
                self._failed[bare] = f"fakesnow: cannot load table {bare} as {qualified}: {first_line(exc)}"
        self._fingerprint = fingerprint

    def run(self, sql: str, tables: Mapping[str, "pa.Table"]) -> "pa.Table":
        self.load(tables)
        for bare, message in self._failed.items():
            if bare.lower() in sql.lower():
                raise OracleError(message)
        from toolkit.sql.parity.fakesnow_fidelity import faithful_snowflake_sql

        try:
            cursor = self._execute(faithful_snowflake_sql(sql, tables))
        except Exception as exc:
            raise OracleError(first_line(exc)) from None
        return _arrow_result(cursor)

    def prepare(self, tables: Mapping[str, "pa.Table"]) -> None:
        self.load(tables)

    def interrupt(self) -> None:
        """Stop the running query: fakesnow runs it on its connection's DuckDB cursor."""
        duck = getattr(self._conn, "_duck_conn", None)
        if duck is not None:
            duck.interrupt()

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
                self._fakesnow.duck_conn.close()
            except Exception:  # closing twice or after a failed load is harmless
                pass
        self._conn = self._fakesnow = None
        self._fingerprint = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def _described_type(column: Any) -> "pa.DataType | None":
    """The Arrow type of a Snowflake result column from its cursor description (type_code, precision, scale), as
    the connector's FIELD_TYPES number them (docs.snowflake.com/en/developer-guide/python-connector/
    python-connector-api, "type_code"); None for types kept as the values say (VARIANT, OBJECT, ARRAY...)."""
    import pyarrow as pa

    code, scale = column.type_code, column.scale
    if code == 0:  # FIXED: NUMBER(p, s); scale 0 is Snowflake's integer
        return pa.int64() if not scale else pa.decimal128(38, scale)
    return {1: pa.float64(), 2: pa.string(), 3: pa.date32(), 6: pa.timestamp("us", tz="UTC"),
            7: pa.timestamp("us", tz="UTC"), 8: pa.timestamp("us"), 11: pa.binary(), 12: pa.time64("us"),
            13: pa.bool_()}.get(code)


def _array(values: list[Any], column: Any) -> "pa.Array":
    import pyarrow as pa

    described = _described_type(column)
    for arrow_type in ([described, pa.decimal128(38, 0)] if described == pa.int64() else [described]):
        if arrow_type is None:
            break
        try:
            return pa.array(values, type=arrow_type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            continue  # a value the described type cannot hold (a NUMBER(38,0) past int64): next, else inferred
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed Python types in one column: keep them comparable as text
        return pa.array([None if v is None else str(v) for v in values])


def _arrow_result(cursor: Any) -> "pa.Table":
    """The rows as the Snowflake connector gives them (fakesnow's result batches have no Arrow export), named as
    Snowflake names them (the description's upper-case names), typed as its description types them."""
    import pyarrow as pa

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fakesnow's description re-runs DuckDB, which warns about Arrow copies
        description = list(cursor.description or [])
        names = [column.name for column in description]
        rows = cursor.fetchall()
    columns = [[row[i] for row in rows] for i in range(len(names))]
    arrays = [_array(values, column) for values, column in zip(columns, description)]
    unique = [name if names.index(name) == i else f"{name}_{i + 1}" for i, name in enumerate(names)]
    return pa.table(arrays, names=unique) if names else pa.table({})
