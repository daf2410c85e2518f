"""BigQuery semantics offline: Google's ZetaSQL (the `zetasql` WASM build) behind one small, process-wide service.

- `analyze(sql)`: BigQuery's front end resolves the query against the gold catalog (registered once per process):
  unknown tables/columns/functions and type errors come back with BigQuery's own text and a 1-based line:column.
- `parse(sql)`: syntax only, for DDL (`CREATE EXTERNAL TABLE … WITH CONNECTION … OPTIONS(…)`, `CREATE SCHEMA`).
- `evaluate(sql, tables)`: the reference evaluator on small in-memory Arrow tables (about 3,000 rows/s: samples).

Language: every released ZetaSQL feature (`maximum_features`), product mode EXTERNAL (BigQuery's: FLOAT64, no
UINT64/INT32 types, the external function set) and UTC as the default time zone, like BigQuery.
The WASM module loads from an on-disk compile cache (`toolkit.sql.zetasql_wasm`) with the debug build's assertions
switched off (`toolkit.sql.zetasql_debug_checks`: same results, analysis ~2x faster), and requests go to the WASM
exports as raw protobufs (the package's dataclass layer costs more than the analysis on small queries).
A wasmtime store is single-threaded: calls are serialised with a lock; use processes for parallelism.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from toolkit.errors import CheckFailed

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.gold.model import GoldCatalog
    from toolkit.types import LogicalType

_POSITION_RE = re.compile(r"\s*\[at (\d+):(\d+)\]\s*$")
_CODE_RE = re.compile(r"^\[[A-Z_]+\]\s*")


@dataclass(frozen=True)
class ZetaError:
    """One analysis or parse failure: BigQuery's message without the position suffix, 1-based line/column."""

    message: str
    line: int | None = None
    column: int | None = None
    detail: str = ""  # the full (possibly multi-line) text, e.g. every signature tried

    def __str__(self) -> str:
        where = f" [at {self.line}:{self.column}]" if self.line is not None else ""
        return f"{self.message}{where}"

    @classmethod
    def from_text(cls, text: str) -> "ZetaError":
        """From ERROR_MESSAGE_ONE_LINE text: `Unrecognized name: b [at 2:3]` (a `[INVALID_ARGUMENT]` prefix is dropped)."""
        text = _CODE_RE.sub("", text.strip())
        match = _POSITION_RE.search(text)
        line = column = None
        if match is not None:
            line, column = int(match.group(1)), int(match.group(2))
            text = text[: match.start()].rstrip()
        return cls(_one_line(text), line, column, text)


def _one_line(text: str) -> str:
    """Signature errors span lines (`No matching signature…\n  Argument types: INT64, STRING\n  Signature: …`):
    keep the first line and the argument types, which say what is wrong; `detail` keeps the rest."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) <= 1:
        return text.strip()
    kept = [lines[0]] + [line for line in lines[1:] if line.lower().startswith("argument types")]
    return "; ".join(kept)


class ZetaSQL:
    """The process-wide ZetaSQL service: `ZetaSQL.get()` loads the WASM module once."""

    _instance: "ZetaSQL | None" = None
    _instance_lock = threading.Lock()

    def __init__(self) -> None:
        from zetasql.wasi._pb2.zetasql.local_service import local_service_pb2
        from zetasql.wasi._pb2.zetasql.proto import options_pb2 as proto_options
        from zetasql.wasi._pb2.zetasql.public import options_pb2

        from toolkit.sql.zetasql_wasm import shared_client

        self._pb = local_service_pb2
        self._client = shared_client()
        self._lock = threading.RLock()
        self._cells = _CellCache()
        request = local_service_pb2.LanguageOptionsRequest(maximum_features=True)
        language = proto_options.LanguageOptionsProto.FromString(
            self._client.call_raw("ZetaSqlLocalService_GetLanguageOptions", request.SerializeToString())
        )
        language.name_resolution_mode = options_pb2.NAME_RESOLUTION_DEFAULT
        language.product_mode = options_pb2.PRODUCT_EXTERNAL
        self.language_options = language
        self.analyzer_options = proto_options.AnalyzerOptionsProto(
            language_options=language,
            error_message_mode=options_pb2.ERROR_MESSAGE_ONE_LINE,
            default_timezone="UTC",
        )
        self.builtin_function_options = proto_options.ZetaSQLBuiltinFunctionOptionsProto(language_options=language)
        self.registered_catalog_id: int | None = None
        self._registered_fingerprint: Any = None
        self.loaded_from: str = getattr(self._client, "loaded_from", "compiled")

    @classmethod
    def get(cls) -> "ZetaSQL":
        """The process-wide instance (thread-safe); the first call loads the WASM module (cached compile on disk)."""
        if cls._instance is None:
            with cls._instance_lock:
                if cls._instance is None:
                    cls._instance = cls()
        return cls._instance

    @classmethod
    def interrupt(cls) -> None:
        """Stop the call the process-wide instance is running (on another thread: parity's time budget) and drop the
        instance, whose WASM store is unusable after the trap; the next `get()` builds a fresh one from the cache."""
        from toolkit.sql.zetasql_wasm import drop_shared_client

        with cls._instance_lock:
            instance, cls._instance = cls._instance, None
            if instance is not None:
                drop_shared_client(instance._client)  # the package's service shares the trapped client too
        if instance is not None and hasattr(instance._client, "interrupt"):
            instance._client.interrupt()

    def set_debug_checks(self, on: bool) -> bool:
        """Run (True) or skip (False, the default) the WASM build's debug-only assertions (`zetasql_debug_checks`):
        results and messages are the same either way; False when the installed module cannot switch them."""
        with self._lock:
            return self._client.set_debug_checks(on)

    # -- catalog -----------------------------------------------------------------------------------------------
    def register_catalog(self, catalog: "GoldCatalog", *, table_names: Mapping[str, Any] | None = None) -> None:
        """Register the gold tables once (later calls with the same tables and names are free).

        `table_names` maps a gold table to the name, or list of names, queries use for it, e.g.
        `{"fact_sales": ["fedkit-demo.gold.fact_sales", "gold.fact_sales"]}`; the bare table name always resolves
        too. Dotted names resolve both as one backticked identifier (`` `p.d.t` ``) and as a path (`p.d.t`).
        """
        fingerprint = (catalog, tuple(sorted((k, tuple(_names(v))) for k, v in (table_names or {}).items())))
        with self._lock:
            if self.registered_catalog_id is not None and fingerprint == self._registered_fingerprint:
                return
            for table in catalog.tables:
                for column in table.columns:
                    column.render("zetasql", table.name)  # refuses, naming table, column and Arrow type
            tables = [
                (name, tuple((c.name, c.type) for c in table.columns))
                for table in catalog.tables
                for name in _unique([table.name, *_names((table_names or {}).get(table.name))])
            ]
            proto = self._catalog_proto(tables)
            request = self._pb.RegisterCatalogRequest(simple_catalog=proto)
            response = self._pb.RegisterResponse.FromString(
                self._client.call_raw("ZetaSqlLocalService_RegisterCatalog", request.SerializeToString())
            )
            if self.registered_catalog_id is not None:
                self._unregister(self.registered_catalog_id)
            self.registered_catalog_id = response.registered_id
            self._registered_fingerprint = fingerprint

    def _unregister(self, catalog_id: int) -> None:
        server_error = _server_error()

        try:
            request = self._pb.UnregisterRequest(registered_id=catalog_id)
            self._client.call_raw("ZetaSqlLocalService_UnregisterCatalog", request.SerializeToString())
        except server_error:
            pass

    def _catalog_proto(self, tables: Iterable[tuple[str, tuple[tuple[str, "LogicalType"], ...]]],
                       nested: bool = True) -> Any:
        """A SimpleCatalogProto with every table under its name and, for dotted names, its nested catalog path."""
        from zetasql.wasi._pb2.zetasql.proto import simple_catalog_pb2

        from toolkit.sql.zetasql_values import type_proto

        root = simple_catalog_pb2.SimpleCatalogProto(name="fedkit")
        root.builtin_function_options.CopyFrom(self.builtin_function_options)

        def add(catalog: Any, name: str, columns: tuple[tuple[str, "LogicalType"], ...]) -> None:
            if any(t.name.lower() == name.lower() for t in catalog.table):
                return
            table = catalog.table.add(name=name)
            for column_name, logical in columns:
                table.column.add(name=column_name, type=type_proto(logical), is_writable_column=True)

        def child(catalog: Any, name: str) -> Any:
            for existing in catalog.catalog:
                if existing.name.lower() == name.lower():
                    return existing
            return catalog.catalog.add(name=name)

        for name, columns in tables:
            add(root, name, columns)
            parts = name.split(".")
            if nested and len(parts) > 1:
                node = root
                for part in parts[:-1]:
                    node = child(node, part)
                add(node, parts[-1], columns)
        return root

    # -- analysis ----------------------------------------------------------------------------------------------
    def analyze(self, sql: str) -> ZetaError | None:
        """None when the statement resolves against the registered catalog, else BigQuery's error and position."""
        server_error = _server_error()

        request = self._pb.AnalyzeRequest(sql_statement=sql, options=self.analyzer_options)
        with self._lock:
            if self.registered_catalog_id is not None:
                request.registered_catalog_id = self.registered_catalog_id
            else:
                request.simple_catalog.CopyFrom(self._catalog_proto(()))
            try:
                self._client.call_raw("ZetaSqlLocalService_Analyze", request.SerializeToString())
            except server_error as exc:
                return ZetaError.from_text(exc.message)
        return None

    def parse(self, sql: str, *, script: bool = False) -> ZetaError | None:
        """None when `sql` is syntactically valid, else the error. One statement unless `script`: everything fedkit
        checks (a KPI, one rendered DDL statement) is one, and a second statement appended through a hostile name
        must fail here, not pass as a script. Parsed as a script first because only then does ZetaSQL give the
        error's position."""
        error = self._parse(sql, allow_script=True)
        if error is not None or script:
            return error
        single = self._parse(sql, allow_script=False)
        if single is None:
            return None
        return ZetaError.from_text(f"more than one statement where one is expected ({single.message})")

    def _parse(self, sql: str, *, allow_script: bool) -> ZetaError | None:
        server_error = _server_error()

        request = self._pb.ParseRequest(sql_statement=sql, options=self.language_options, allow_script=allow_script)
        with self._lock:
            try:
                self._client.call_raw("ZetaSqlLocalService_Parse", request.SerializeToString())
            except server_error as exc:
                return ZetaError.from_text(exc.message)
        return None

    # -- evaluation --------------------------------------------------------------------------------------------
    def evaluate(self, sql: str, tables: Mapping[str, "pa.Table"]) -> "pa.Table":
        """Run `sql` with BigQuery semantics over small Arrow tables (keys are the names the query uses; a dotted
        key such as "fedkit-demo.gold.fact_sales" is read as one backticked name, `` `fedkit-demo.gold.fact_sales` ``,
        the form the compiler writes — ZetaSQL's evaluator only feeds top-level tables).

        Raises `ZetaEvaluationError` (a CheckFailed) with BigQuery's message when the query does not analyze or fails.
        """
        server_error = _server_error()

        from toolkit.sql.zetasql_values import to_arrow, to_value
        from toolkit.types import from_arrow, render_column

        schemas: list[tuple[str, tuple[tuple[str, "LogicalType"], ...]]] = []
        contents: dict[str, Any] = {}
        for name, whole in tables.items():
            table = _columns_named_in(sql, whole)
            columns = tuple((f.name, from_arrow(f.type)) for f in table.schema)
            for field, (_, logical) in zip(table.schema, columns):
                render_column(logical, "zetasql", name, field.name, str(field.type))
            schemas.append((name, columns))
            content = self._pb.TableContent()
            rows = content.table_data.row
            cells = [self._cells.get(whole, column, logical, to_value) for column, logical in columns]
            for values in zip(*cells):
                rows.add(cell=values)
            contents[name] = content
        catalog = self._catalog_proto(schemas, nested=False)  # the evaluator only feeds top-level tables
        prepare = self._pb.PrepareQueryRequest(sql=sql, options=self.analyzer_options, simple_catalog=catalog)
        for name, content in contents.items():
            prepare.table_content[name].CopyFrom(content)

        with self._lock:
            try:
                prepared = self._pb.PrepareQueryResponse.FromString(
                    self._client.call_raw("ZetaSqlLocalService_PrepareQuery", prepare.SerializeToString())
                ).prepared
            except server_error as exc:
                raise ZetaEvaluationError(ZetaError.from_text(exc.message)) from None
            try:
                request = self._pb.EvaluateQueryRequest(prepared_query_id=prepared.prepared_query_id)
                response = self._pb.EvaluateQueryResponse.FromString(
                    self._client.call_raw("ZetaSqlLocalService_EvaluateQuery", request.SerializeToString())
                )
            except server_error as exc:
                raise ZetaEvaluationError(ZetaError.from_text(exc.message)) from None
            finally:
                unprepare = self._pb.UnprepareQueryRequest(prepared_query_id=prepared.prepared_query_id)
                try:
                    self._client.call_raw("ZetaSqlLocalService_UnprepareQuery", unprepare.SerializeToString())
                except server_error:
                    pass
        return to_arrow(prepared.columns, response.content.table_data.row)


def _columns_named_in(sql: str, table: "pa.Table") -> "pa.Table":
    """Only the columns whose name occurs in the query text (all of them for a `*`): a column the query reads is
    named in it, and the evaluator's cost grows with every cell it is handed (a KPI reads 3 or 4 of 15 columns)."""
    if "*" in sql:
        return table
    text = sql.lower()
    keep = [f.name for f in table.schema if f.name.lower() in text] or table.schema.names[:1]  # rows still count
    return table.select(keep) if len(keep) < table.num_columns else table


class _CellCache:
    """The ValueProtos of a column, converted once per table object: parity runs every KPI over the same sample
    tables. Holds the last few tables (and a reference to each, so an id is never reused while cached)."""

    SIZE = 256  # columns

    def __init__(self) -> None:
        self._entries: dict[tuple[int, str], tuple[Any, Any, list[Any]]] = {}

    def get(self, table: "pa.Table", column: str, logical: "LogicalType", convert: Any) -> list[Any]:
        key = (id(table), column)
        hit = self._entries.get(key)
        if hit is not None and hit[0] is table and hit[1] == logical:
            return hit[2]
        cells = [convert(value, logical) for value in table.column(column).to_pylist()]
        if len(self._entries) >= self.SIZE:
            self._entries.pop(next(iter(self._entries)))
        self._entries[key] = (table, logical, cells)
        return cells


def _server_error() -> Any:
    from toolkit.sql.zetasql_wasm import server_error_class

    return server_error_class()


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _unique(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for name in names:
        if name.lower() not in seen:
            seen.add(name.lower())
            result.append(name)
    return result


class ZetaEvaluationError(CheckFailed):
    """The evaluator refused or failed the query; `.error` is the ZetaError."""

    def __init__(self, error: ZetaError):
        super().__init__(f"BigQuery (ZetaSQL): {error}")
        self.error = error
