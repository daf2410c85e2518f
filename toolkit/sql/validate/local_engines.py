"""Offline stand-ins that resolve compiled SQL without data: empty tables of the right types.

- DuckDB: an in-memory database with one empty table per gold table (types from the type map); `EXPLAIN`
  binds every name and type without running anything.
- Snowflake: sqlglot's qualifier against the catalog as Snowflake names it (unquoted names upper-case, like
  the external tables' virtual columns), which catches unknown tables/columns, ambiguous columns and quoted
  mixed-case names; then the query runs with `LIMIT 0` on an in-process fakesnow over empty tables. fakesnow
  translates Snowflake SQL to DuckDB, so it proves the text runs there, not Snowflake's exact semantics.
"""

from __future__ import annotations

import re
import warnings
from typing import TYPE_CHECKING, Any

from toolkit.sql.validate.model import Problem

if TYPE_CHECKING:
    from toolkit.gold.model import GoldCatalog

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_QUOTED_NAME = re.compile(r'"([^"]+)"')
_SQLGLOT_POSITION = re.compile(r"\.?\s*Line: (\d+), Col: (\d+)\.?")


def _duck_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sf_column(name: str) -> str:
    """Virtual columns are named unquoted when they can be (DESIGN §5), so they resolve case-insensitively; a reserved
    word is quoted, as registration quotes it (`toolkit.sql.ddl.sf_ident`)."""
    from toolkit.sql.ddl import sf_ident

    return sf_ident(name)


def _sf_resolved(name: str) -> str:
    """The column name Snowflake stores for `_sf_column(name)`."""
    from toolkit.sql.ddl import sf_is_plain

    return name.upper() if sf_is_plain(name) else name


def _create_empty(cursor: Any, fq: str, table: Any, index: int) -> None:
    """An empty table with the gold table's Snowflake names and types. fakesnow pastes a created table's name and a
    VARCHAR column's name unescaped into SQL of its own, so a name holding a single quote is created under a plain
    placeholder and renamed into place (RENAME works), as the Snowflake sandbox does."""
    placeholders = [f"FEDKIT_COLUMN_{i}" if "'" in c.name else _sf_column(c.name) for i, c in enumerate(table.columns)]
    columns = ", ".join(f"{name} {c.render('snowflake', table.name)}" for name, c in zip(placeholders, table.columns))
    created = f"FEDKIT_CHECK_TABLE_{index}" if "'" in table.name else fq
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {created} ({columns})")
    for placeholder, column in zip(placeholders, table.columns):
        if placeholder.startswith("FEDKIT_COLUMN_"):
            cursor.execute(f"ALTER TABLE {created} RENAME COLUMN {placeholder} TO {_sf_column(column.name)}")
    if created != fq:
        cursor.execute(f"ALTER TABLE {created} RENAME TO {fq}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class DuckDBChecker:
    """EXPLAIN over empty tables named as the compiled DuckDB SQL names them (bare table names)."""

    def __init__(self, catalog: "GoldCatalog", table_names: dict[str, str]):
        import duckdb

        self._made_from = (catalog, table_names)
        self.conn = duckdb.connect(":memory:")
        self.conn.execute("SET TimeZone = 'UTC'")
        for table in catalog.tables:
            columns = ", ".join(f"{_duck_quote(c.name)} {c.render('duckdb', table.name)}" for c in table.columns)
            self.conn.execute(f"CREATE TABLE {table_names.get(table.name, _duck_quote(table.name))} ({columns})")

    def check(self, sql: str) -> Problem | None:
        import duckdb

        try:
            self.conn.execute("EXPLAIN\n" + sql.rstrip().rstrip(";"))
        except duckdb.Error as exc:
            return _with_caret(_engine_problem(exc, line_shift=1), str(exc), sql, line_shift=1)
        return None

    def close(self) -> None:
        self.conn.close()

    # pickled (a stand-in's checker sent to validate's worker process) as what makes it: a connection does not travel
    def __getstate__(self) -> tuple["GoldCatalog", dict[str, str]]:
        return self._made_from

    def __setstate__(self, state: tuple["GoldCatalog", dict[str, str]]) -> None:
        self.__init__(*state)  # type: ignore[misc]


def _engine_problem(exc: BaseException, line_shift: int = 0, prefix: str = "") -> Problem:
    """DuckDB-style messages: `Binder Error: Referenced column "x" not found …` + `LINE n:`; the quoted name
    locates the culprit in the source."""
    text = str(exc)
    text = re.sub(r"^\d{6} \([0-9A-Z]{5}\): ", "", text.strip())  # the connector's error code prefix
    message = prefix + (text.splitlines()[0] if text else type(exc).__name__)
    names = (_QUOTED_NAME.findall(message) or re.findall(r"with name (\w+)", message) or _word_at_caret(text))
    line_match = re.search(r"^LINE (\d+):", text, re.MULTILINE)
    line = int(line_match.group(1)) - line_shift if line_match and not prefix else None
    return Problem(message, line if line and line > 0 else None, None, names[0] if names else None)


class SnowflakeChecker:
    """sqlglot's qualifier against the catalog + `LIMIT 0` on fakesnow over empty tables."""

    def __init__(self, catalog: "GoldCatalog", table_names: dict[str, str], database: str, schema: str,
                 source_dialect: str = "snowflake"):
        from sqlglot import exp
        from sqlglot.schema import MappingSchema

        from toolkit.sql.sqlglot_schema import sqlglot_type

        self.catalog = catalog
        self.table_names = table_names
        nested: dict[str, Any] = {}
        for table in catalog.tables:
            target = exp.to_table(table_names[table.name], dialect="snowflake")
            parts = [p.sql(dialect="snowflake") for p in target.parts]
            node = nested
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = {
                _sf_column(c.name): exp.DataType.build(sqlglot_type(c.type), dialect="duckdb") for c in table.columns
            }
        self.schema = MappingSchema(nested, dialect="snowflake")
        self._keys = {
            table.name: tuple(p.name if p.quoted else p.name.upper()
                              for p in exp.to_table(table_names[table.name], dialect="snowflake").parts)
            for table in catalog.tables
        }
        self.known_tables = set(self._keys.values())
        self.database, self.schema_name = database, schema
        # KPIs written in another dialect can carry that dialect's functions through untranslated; a Snowflake
        # source names Snowflake's functions itself (some of which sqlglot does not model), so it is trusted
        self.foreign_source = source_dialect != "snowflake"
        self._fake: Any = None
        self._cursor: Any = None

    # -- qualifier ---------------------------------------------------------------------------------------------
    def qualify(self, sql: str, parsed: Any = None) -> Problem | None:
        """`parsed`: the tree of `sql` (or its parse error) when the caller has it; qualified in place."""
        from sqlglot import exp
        from sqlglot.errors import OptimizeError
        from sqlglot.optimizer.qualify import qualify

        tree = _parse_snowflake(sql) if parsed is None else parsed
        if isinstance(tree, Exception):
            errors = getattr(tree, "errors", None) or [{}]
            return Problem(f"Snowflake syntax: {_first_line(tree)}", errors[0].get("line"), errors[0].get("col"))
        ctes = {cte.alias_or_name.upper() for cte in tree.find_all(exp.CTE)}
        for table in tree.find_all(exp.Table):
            if not table.name or (len(table.parts) == 1 and table.name.upper() in ctes):
                continue
            if not isinstance(table.this, exp.Identifier):
                continue  # table functions (FLATTEN, …)
            key = tuple(p.name if p.quoted else p.name.upper() for p in table.parts)
            if not any(known[-len(key):] == key for known in self.known_tables):
                shown = ".".join(p.sql(dialect="snowflake") for p in table.parts)
                return Problem(f"Object '{shown}' does not exist or not authorized (not a gold table)", name=table.name)
        ambiguous = self._ambiguous(tree)
        if ambiguous:
            return ambiguous
        try:
            qualify(tree, schema=self.schema, dialect="snowflake", validate_qualify_columns=True,
                    expand_stars=True, quote_identifiers=False)
        except OptimizeError as exc:
            return _qualify_problem(str(exc))
        except (KeyError, ValueError):
            return None  # constructs the qualifier does not model: left to fakesnow
        return None

    def _ambiguous(self, tree: Any) -> Problem | None:
        """An unqualified column that two joined gold tables both have (Snowflake: `ambiguous column name`)."""
        from sqlglot import exp

        ctes = {cte.alias_or_name.upper(): cte.this for cte in tree.find_all(exp.CTE)}
        for select in tree.find_all(exp.Select):
            found = self._duplicate_outputs(select, ctes)
            if found:
                return found
            sources = []
            from_ = select.args.get("from_") or select.args.get("from")
            for table in [from_] + list(select.args.get("joins") or []):
                target = table.this if table is not None else None
                if isinstance(target, exp.Table) and isinstance(target.this, exp.Identifier):
                    columns = self._columns_of(target)
                    if columns is not None:
                        sources.append(columns)
            if len(sources) < 2:
                continue
            for column in select.find_all(exp.Column):
                if column.table or column.find_ancestor(exp.Select) is not select:
                    continue
                key = column.name if column.this.quoted else column.name.upper()
                if sum(key in cols for cols in sources) > 1:
                    return _at(column, f"ambiguous column name '{key}'")
        return None

    @staticmethod
    def _duplicate_outputs(select: Any, ctes: dict[str, Any]) -> Problem | None:
        """Names that differ only by case are one unquoted Snowflake name: `amount AS Revenue, … AS revenue` in a
        CTE makes a later `revenue` ambiguous, as does `ORDER BY amount` over `Amount` and `… AS amount`."""
        from sqlglot import exp

        def outputs(query: Any) -> list[str]:
            if not isinstance(query, exp.Select):
                return []
            return [e.alias_or_name if _quoted(e) else e.alias_or_name.upper() for e in query.expressions]

        def _quoted(e: Any) -> bool:
            ident = e.args.get("alias") if isinstance(e, exp.Alias) else getattr(e, "this", None)
            ident = ident.this if isinstance(ident, exp.TableAlias) else ident
            return bool(isinstance(ident, exp.Identifier) and ident.quoted)

        from_ = select.args.get("from_") or select.args.get("from")
        source = from_.this if from_ is not None else None
        if isinstance(source, exp.Table) and len(source.parts) == 1 and source.name.upper() in ctes:
            names = outputs(ctes[source.name.upper()])
            for column in select.find_all(exp.Column):
                key = column.name if column.this.quoted else column.name.upper()
                if column.find_ancestor(exp.Select) is select and names.count(key) > 1:
                    return _at(column, f"ambiguous column name '{key}'")
        order = select.args.get("order")
        if order is not None:
            names = outputs(select)
            for column in order.find_all(exp.Column):
                key = column.name if column.this.quoted else column.name.upper()
                if not column.table and names.count(key) > 1:
                    return _at(column, f"ambiguous column name '{key}'")
        return None

    def _columns_of(self, table: Any) -> set[str] | None:
        key = tuple(p.name if p.quoted else p.name.upper() for p in table.parts)
        for gold in self.catalog.tables:
            if self._keys[gold.name][-len(key):] == key:
                return {_sf_resolved(c.name) for c in gold.columns}
        return None

    # -- fakesnow ----------------------------------------------------------------------------------------------
    def _connect(self) -> Any:
        if self._cursor is None:
            from fakesnow.instance import FakeSnow

            warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")
            self._fake = FakeSnow()
            conn = self._fake.connect(database=self.database, schema=self.schema_name)
            cursor = conn.cursor()
            for index, table in enumerate(self.catalog.tables):
                _create_empty(cursor, self.table_names[table.name], table, index)
            self._cursor = cursor
        return self._cursor

    def warm(self) -> None:
        """Pay the one-off start-up now (fakesnow's import, the empty tables, the first query's lazy imports), e.g. in
        a worker process while the parent is still starting (toolkit.sql.validate.worker)."""
        self.check("SELECT 1")

    def run_empty(self, sql: str) -> Problem | None:
        """fakesnow's error, unless the query restated where fakesnow departs from Snowflake runs (RATIO_TO_REPORT
        is a Snowflake function fakesnow lacks): the original text's error keeps its positions."""
        problem = self._run_empty(sql)
        if problem is not None:
            from toolkit.sql.parity.fakesnow_fidelity import restated_for_fakesnow

            restated = restated_for_fakesnow(sql, self.catalog)
            if restated != sql and self._run_empty(restated) is None:
                return None
        return problem

    def _run_empty(self, sql: str) -> Problem | None:
        cursor = self._connect()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cursor.execute("SELECT * FROM (\n" + sql.rstrip().rstrip(";") + "\n) LIMIT 0")
        except Exception as exc:  # noqa: BLE001 - fakesnow raises connector, DuckDB and sqlglot errors alike
            return _engine_problem(exc, prefix="fakesnow: ")
        return None

    def check(self, sql: str) -> Problem | None:
        parsed = _parse_snowflake(sql)  # once: the statement kind, the qualifier and the function check all read it
        statement = self._statement_problem(sql, parsed)
        if isinstance(statement, Problem):
            return statement
        if statement is not None:  # positions in the inner query are not the compiled text's: locate by name
            inner = self.check(statement)
            return None if inner is None else Problem(inner.message, name=inner.name)
        if parsed is None or isinstance(parsed, Exception):
            return self.qualify(sql, parsed) or self.run_empty(sql)
        return self.qualify(sql, parsed.copy()) or self.unknown_function(sql, parsed) or self.run_empty(sql)

    def unknown_function(self, sql: str, parsed: Any = None) -> Problem | None:
        """A DuckDB-only function copied into the Snowflake text, which fakesnow (DuckDB) would run."""
        if not self.foreign_source:
            return None
        from toolkit.sql.validate.snowflake_functions import duckdb_only_function

        tree = _parse_snowflake(sql) if parsed is None else parsed
        if tree is None or isinstance(tree, Exception):
            return None  # the qualifier reports syntax
        return duckdb_only_function(tree)

    def _statement_problem(self, sql: str, parsed: Any = None) -> "Problem | str | None":
        """Non-queries: DML on a gold table is refused (they are read-only external tables); `CREATE TABLE … AS
        query` is checked through its query (the new table is not a gold table); anything else is not validated
        offline. Returns a Problem, the SQL to check instead, or None for a query."""
        from sqlglot import exp
        from sqlglot.errors import ParseError, TokenError

        tree = _parse_snowflake(sql) if parsed is None else parsed
        if isinstance(tree, (ParseError, TokenError)):
            return None  # the qualifier reports the syntax error
        if isinstance(tree, Exception):
            raise tree
        if tree is None or isinstance(tree, exp.Query):
            return None
        kinds = {exp.Insert: "INSERT", exp.Update: "UPDATE", exp.Delete: "DELETE", exp.Merge: "MERGE"}
        for kind, label in kinds.items():
            if isinstance(tree, kind):
                target = tree.this.find(exp.Table) if isinstance(tree.this, exp.Expression) else None
                name = target.name if target is not None else None
                return Problem(f"{label} on a gold table: Snowflake external tables are read-only (query them, or "
                               "write results elsewhere)", name=name)
        if isinstance(tree, exp.Create) and isinstance(tree.expression, exp.Query):
            return tree.expression.sql(dialect="snowflake")
        kind = type(tree).__name__.upper() if not isinstance(tree, exp.Command) else str(tree.this).upper()
        return Problem(f"not a query ({kind}): only SELECT statements are validated offline on Snowflake",
                       name=_first_word(sql))

    def close(self) -> None:
        if self._fake is not None:
            try:
                self._fake.duck_conn.close()
            except Exception:  # noqa: BLE001
                pass


def _parse_snowflake(sql: str) -> Any:
    """The tree of `sql` in Snowflake's dialect (None for no statement), or the sqlglot error that refused it."""
    import sqlglot
    from sqlglot.errors import SqlglotError

    try:
        return sqlglot.parse_one(sql, read="snowflake")
    except SqlglotError as exc:
        return exc


def _first_word(sql: str) -> str | None:
    match = re.search(r"[A-Za-z_]+", sql)
    return match.group(0) if match else None


def _at(column: Any, message: str) -> Problem:
    """A problem at a parsed column: sqlglot keeps the identifier's line and last column in `meta`."""
    meta = getattr(column.this, "meta", None) or {}
    line, end = meta.get("line"), meta.get("col")
    if line is None or end is None:
        return Problem(message, name=column.name)
    return Problem(message, line, max(1, end - len(column.this.this) + 1), column.name)


def _qualify_problem(text: str) -> Problem:
    """`Column 'NOPE' could not be resolved. Line: 1, Col: 11` (Col is the token's last character)."""
    match = _SQLGLOT_POSITION.search(text)
    names = re.findall(r"'([^']+)'", text) or re.findall(r"Unknown column: (\S+)", text)
    message = _SQLGLOT_POSITION.sub("", text).strip().rstrip(".")
    name = names[0] if names else None
    if "could not be resolved" in message and name:
        message = f"invalid identifier '{name}' (no such column in the tables in scope)"
    join = re.match(r"Cannot automatically join: (\S+)", message)
    if join:  # the qualifier's words for a USING column that one side lacks
        name = join.group(1)
        message = f"USING column '{name}' is not in both joined tables"
    if match and name:
        end = int(match.group(2))
        return Problem(message, int(match.group(1)), max(1, end - len(name) + 1), name)
    return Problem(message, name=name)


def _with_caret(problem: Problem, text: str, sql: str, line_shift: int) -> Problem:
    """DuckDB's own `LINE n:` + caret, when the echoed line is the compiled line (not cut with `...`)."""
    match = re.search(r"^(LINE (\d+): )(.*)\n( *)\^", text, re.MULTILINE)
    if not match:
        return problem
    line = int(match.group(2)) - line_shift
    lines = sql.splitlines()
    if not 1 <= line <= len(lines) or lines[line - 1].rstrip() != match.group(3).rstrip():
        return problem
    column = len(match.group(4)) - len(match.group(1)) + 1
    return Problem(problem.message, line, column, problem.name)


def parser_problem(exc: BaseException, sql: str) -> Problem:
    """DuckDB's parser error on `sql` (`Parser Error: syntax error at or near ">"` + `LINE n:` and a caret)."""
    text = str(exc)
    message = re.sub(r"^Parser Error: ", "", text.strip().splitlines()[0] if text.strip() else type(exc).__name__)
    problem = _with_caret(Problem(f"syntax error (duckdb): {message}"), text, sql, line_shift=0)
    if problem.line is None:
        line_match = re.search(r"^LINE (\d+):", text, re.MULTILINE)
        if line_match:
            problem = Problem(problem.message, int(line_match.group(1)))
    return problem


def _word_at_caret(text: str) -> list[str]:
    """The word DuckDB's caret points at (`LINE 4: WHERE SUM(amount) > 100` / `              ^` -> SUM)."""
    match = re.search(r"^(LINE \d+: )(.*)\n( *)\^", text, re.MULTILINE)
    if not match:
        return []
    index = len(match.group(3)) - len(match.group(1))
    word = re.match(r"[A-Za-z_][A-Za-z0-9_$]*|[-+*/%<>=|]+", match.group(2)[max(index, 0):])
    return [word.group(0)] if word else []
