"""BigQuery on the sandbox: Google's ZetaSQL (BigQuery's SQL front end and reference evaluator) over sandbox S3.

- Datasets, the AWS connection and BigLake tables are recorded in `$FEDKIT_HOME/bigquery_sandbox.json`.
  Every DDL statement is parsed by ZetaSQL first (what would run on BigQuery is checked, not just recorded).
- `CREATE EXTERNAL TABLE` reads the Parquet schema from the table's S3 location, as BigQuery does for
  self-describing formats when the table is created (so a later Parquet change shows up as drift), and refuses a
  flexible column name (`Customer's Name`), which BigQuery external tables do not support.
- The connection's identity is a deterministic fake 21-digit number (from project + connection), so the IAM
  handshake (role -> connection -> identity -> trust) runs end to end.
- Queries are analyzed against the registered tables (unknown names, functions and types fail with BigQuery's
  messages) and evaluated by ZetaSQL on the first `row_limit` rows of each table read from S3; `last_note`
  states the limit (the evaluator runs about 3,000 rows/s: it is for samples).
- KPI views (`CREATE OR REPLACE VIEW`) are parsed, their query analyzed against the registered tables, and recorded
  (query + description); a query naming a view is evaluated with the view inlined as a subquery.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from typing import TYPE_CHECKING, Any, ClassVar, Iterator

from toolkit.errors import CheckFailed, CloudError, UsageError
from toolkit.registration.observed import ObservedBigQuery, ObservedConnection

if TYPE_CHECKING:
    from pathlib import Path

    import pyarrow as pa

    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldTable
    from toolkit.registration.desired import BigQueryDesired, BigQueryTableSpec
    from toolkit.registration.observed import BigQueryDefinition
    from toolkit.registration.orphans import ObservedTable
    from toolkit.registration.view_plan import DesiredView, ObservedView

DEFAULT_ROW_LIMIT = 5_000
STATE_NAME = "bigquery_sandbox.json"


def sandbox_identity(project: str, location: str, connection_id: str) -> str:
    """The fake Google identity (21 digits, like `bq show --connection`) of a sandbox connection."""
    digest = hashlib.sha256(f"fedkit-sandbox-connection:{project}:{location}.{connection_id}".encode()).hexdigest()
    return str(10**20 + int(digest, 16) % (9 * 10**20))


def state_path() -> "Path":
    from toolkit.sandbox.state import fedkit_home

    return fedkit_home() / STATE_NAME


class BigQuerySandboxEngine:
    name: ClassVar[str] = "bigquery"
    dialect: ClassVar[str] = "bigquery"
    can_run: ClassVar[bool] = True
    can_dry_run: ClassVar[bool] = True
    can_register: ClassVar[bool] = True
    mode = "sandbox"

    def __init__(self, loaded: "LoadedConfig", row_limit: int | None = None):
        if loaded.config.bigquery is None:
            raise UsageError(f"{loaded.path}: bigquery: section is missing (project, location, dataset)")
        self.loaded = loaded
        self.config = loaded.config.bigquery
        self.row_limit = row_limit or int(os.environ.get("FEDKIT_BIGQUERY_SANDBOX_ROWS", DEFAULT_ROW_LIMIT))
        self.last_note: str | None = None
        self.last_partial: tuple[str, ...] = ()  # tables the last query read only part of ("key: n of m rows")
        self.emulation_note = (
            f"sandbox: BigQuery is emulated by ZetaSQL (DDL parsed, queries analyzed, evaluation on at most "
            f"{self.row_limit:,} rows per table)"
        )

    # -- persisted catalog ----------------------------------------------------------------------------------------
    # Several processes (two applies, an apply and `kpi run`) share the file: reads see a whole file (atomic
    # replace), and every change is a read-modify-write under the file's lock (`_update`), so none is lost.
    def _load(self) -> dict[str, Any]:
        from toolkit.fsutil import read_json

        data = read_json(state_path())
        self._project(data)
        return data

    def _project(self, data: dict[str, Any]) -> dict[str, Any]:
        return data.setdefault(self.config.project, {"datasets": {}, "connections": {}, "tables": {}})

    @contextlib.contextmanager
    def _update(self) -> Iterator[dict[str, Any]]:
        """This project's part of the registry, read and written back under the file's lock."""
        from toolkit.fsutil import update_json

        with update_json(state_path()) as data:
            yield self._project(data)

    def registered_tables(self) -> dict[str, "GoldTable"]:
        """`dataset.table` -> the table as registered (schema read from its Parquet at CREATE time)."""
        from toolkit.gold.model import GoldTable

        tables = self._project(self._load())["tables"]
        return {key: GoldTable.from_json(entry["table"]) for key, entry in tables.items()}

    def close(self) -> None:
        return None

    # -- observe --------------------------------------------------------------------------------------------------
    def observe(self, desired: "BigQueryDesired") -> ObservedBigQuery:
        return ObservedBigQuery(
            dataset_location=self.dataset_location(desired.dataset),
            connection=self.get_connection(desired.location, desired.connection_id),
            tables=self.observe_tables(desired.dataset),
            definitions=self.observe_definitions(desired.dataset),
        )

    def observe_definitions(self, dataset: str) -> dict[str, "BigQueryDefinition"]:
        """Each recorded table's `uris` and hive prefix, parsed from the DDL it was created with (what BigQuery's
        `tables.get` reports as sourceUris / sourceUriPrefix: `toolkit.registration.definitions`)."""
        from toolkit.registration.definitions import parse_bigquery_ddl

        result = {}
        for key, entry in self._project(self._load())["tables"].items():
            table_dataset, _, name = key.partition(".")
            parsed = parse_bigquery_ddl(entry.get("ddl") or "") if table_dataset == dataset else None
            if parsed is not None:
                result[name] = parsed
        return result

    def dataset_location(self, dataset: str) -> str | None:
        entry = self._project(self._load())["datasets"].get(dataset)
        return entry["location"] if entry else None

    def observe_tables(self, dataset: str) -> dict[str, tuple[tuple[str, str], ...]]:
        result = {}
        for key, table in self.registered_tables().items():
            table_dataset, _, name = key.partition(".")
            if table_dataset == dataset:
                result[name] = tuple((c.name, c.render("bigquery", name)) for c in table.columns)
        return result

    def get_connection(self, location: str, connection_id: str) -> ObservedConnection | None:
        entry = self._project(self._load())["connections"].get(f"{location}.{connection_id}")
        return ObservedConnection(entry["iam_role_id"], entry["identity"]) if entry else None

    # -- registration steps ---------------------------------------------------------------------------------------
    def create_connection(self, location: str, connection_id: str, role_arn: str) -> ObservedConnection:
        key = f"{location}.{connection_id}"
        with self._update() as project:
            connections = project["connections"]
            if key not in connections:
                identity = sandbox_identity(self.config.project, location, connection_id)
                connections[key] = {"iam_role_id": role_arn, "identity": identity}
            entry = connections[key]
        return ObservedConnection(entry["iam_role_id"], entry["identity"])

    def update_connection(self, location: str, connection_id: str, role_arn: str) -> None:
        with self._update() as project:
            entry = project["connections"].get(f"{location}.{connection_id}")
            if entry is None:
                raise CloudError(f"BigQuery (sandbox): Not found: Connection {location}.{connection_id}")
            entry["iam_role_id"] = role_arn

    def execute(self, sql: str) -> None:
        """Parse DDL with ZetaSQL; the sandbox records only what `create_dataset`/`create_table` are given."""
        from toolkit.sql.ddl import check_bigquery

        check_bigquery(sql)

    def create_dataset(self, sql: str, dataset: str) -> None:
        self.execute(sql)
        with self._update() as project:
            project["datasets"].setdefault(dataset, {"location": self.config.location, "ddl": sql})

    def create_table(
        self, sql: str, desired: "BigQueryDesired", table: "BigQueryTableSpec", replace: bool = False
    ) -> None:
        from toolkit.gold.footer_cache import FooterCache
        from toolkit.gold.schema import read_table

        from toolkit.engines.sandbox_faults import propagation_fault

        self.execute(sql)
        propagation_fault(f"BigQuery (sandbox): Access Denied: BigQuery BigQuery: Not authorized to perform "
                          f"sts:AssumeRoleWithWebIdentity on {desired.role_arn}")
        key = f"{desired.dataset}.{table.name}"
        project = self._project(self._load())
        if desired.dataset not in project["datasets"]:
            raise CloudError(f"BigQuery (sandbox): Not found: Dataset {self.config.project}:{desired.dataset}")
        if desired.connection_ref not in project["connections"]:
            raise CloudError(f"BigQuery (sandbox): Not found: Connection {desired.connection_ref}")
        if key in project["tables"] and not replace:
            return  # IF NOT EXISTS
        location = table.hive_prefix or table.uris[0].partition("*")[0].rstrip("/")
        # BigQuery reads the Parquet footers when the table is created; those plan read already come from the cache
        # (same ETag, same bytes), the others are read.
        schema = read_table(location, table.name, cache=FooterCache())
        _refuse_flexible_names(schema, f"{desired.dataset}.{table.name}")
        with self._update() as project:  # S3 is read outside the lock; only the write is serialised
            if key in project["tables"] and not replace:
                return  # created meanwhile by another process: IF NOT EXISTS
            # `uris` decide which files a query reads (toolkit.engines.s3_files), as on BigQuery.
            project["tables"][key] = {"ddl": sql, "table": schema.to_json(), "uris": list(table.uris),
                                      **_markers(sql, table.name)}

    def observe_table_markers(self, dataset: str) -> list["ObservedTable"]:
        from toolkit.registration.orphans import ObservedTable

        result = []
        for key, entry in self._project(self._load())["tables"].items():
            table_dataset, _, name = key.partition(".")
            if table_dataset == dataset:
                labels = tuple(tuple(pair) for pair in entry.get("labels", []))
                result.append(ObservedTable(name, entry.get("description", ""), labels))
        return result

    def drop_table(self, sql: str, dataset: str, name: str) -> None:
        self.execute(sql)
        with self._update() as project:
            project["tables"].pop(f"{dataset}.{name}", None)

    # -- KPI views (toolkit.registration.views) -------------------------------------------------------------------
    view_note = "sandbox: ZetaSQL parses the view DDL and analyzes its query; queries over it inline it"

    def observe_views(self, container: tuple[str, ...]) -> dict[str, "ObservedView"]:
        from toolkit.registration.view_plan import ObservedView

        _, dataset = container
        views = self._project(self._load()).get("views", {})
        result = {}
        for key, entry in views.items():
            view_dataset, _, name = key.partition(".")
            if view_dataset == dataset:
                result[name] = ObservedView(name, entry["query"], entry["description"])
        return result

    def create_view(self, view: "DesiredView") -> None:
        """ZetaSQL parses the DDL and analyzes the view's query against the registered tables (and views), then
        the view is recorded; queries that name it are evaluated with the view inlined as a subquery."""
        self.execute(view.ddl)
        _, dataset = view.container
        if dataset not in self._project(self._load())["datasets"]:
            raise CloudError(f"BigQuery (sandbox): Not found: Dataset {self.config.project}:{dataset}")
        self._analyze(self.inline_views(view.query))
        with self._update() as project:
            project.setdefault("views", {})[f"{dataset}.{view.name}"] = {
                "ddl": view.ddl, "query": view.query, "description": view.comment,
            }

    def drop_view(self, container: tuple[str, ...], name: str, sql: str) -> None:
        self.execute(sql)
        with self._update() as project:
            project.get("views", {}).pop(f"{container[-1]}.{name}", None)

    def inline_views(self, sql: str) -> str:
        """`sql` with every reference to a recorded view replaced by `(view query) AS name` (views over views too)."""
        import sqlglot
        from sqlglot import exp

        views = {key.lower(): entry["query"] for key, entry in self._project(self._load()).get("views", {}).items()}
        if not views:
            return sql
        tree = sqlglot.parse_one(sql, read="bigquery")
        for _ in range(10):  # nesting depth; a view cannot (transitively) name itself on BigQuery
            changed = False
            for node in list(tree.find_all(exp.Table)):
                parts = [p for p in (node.catalog, node.db, node.name) if p]
                if len(parts) == 1 and "." in parts[0]:
                    parts = parts[0].split(".")
                if len(parts) < 2 or (len(parts) == 3 and parts[0] != self.config.project):
                    continue
                query = views.get(".".join(parts[-2:]).lower())
                if query is None:
                    continue
                alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(parts[-1], quoted=True))
                node.replace(exp.Subquery(this=sqlglot.parse_one(query, read="bigquery"), alias=alias))
                changed = True
            if not changed:
                break
        return tree.sql(dialect="bigquery")

    # -- handshake ------------------------------------------------------------------------------------------------
    def bigquery_identity(self) -> str | None:
        observed = self.get_connection(self.config.location, self.config.connection_id)
        return observed.identity if observed else None

    def snowflake_identity(self) -> tuple[str, str] | None:
        return None

    # -- queries --------------------------------------------------------------------------------------------------
    def _analyze(self, sql: str) -> dict[str, tuple[str, "GoldTable"]]:
        """Analyze against the registered tables; returns {name as the query writes it: (key, table)}."""
        from toolkit.gold.model import GoldCatalog
        from toolkit.sql.zetasql_service import ZetaSQL

        tables = self.registered_tables()
        if not tables:
            raise CheckFailed("BigQuery (sandbox): no tables are registered yet; run `fedkit apply`")
        by_name = {}
        names: dict[str, list[str]] = {}
        for key, table in tables.items():
            renamed = table.__class__(f"{key}", table.location, table.columns, table.row_count, table.bytes, table.files)
            by_name[key] = renamed
            names[key] = [f"{self.config.project}.{key}"]
        service = ZetaSQL.get()
        service.register_catalog(GoldCatalog(tuple(by_name.values())), table_names=names)
        error = service.analyze(sql)
        if error is not None:
            raise CheckFailed(f"BigQuery (sandbox): {error}")
        return _referenced(sql, tables, self.config.project)[1]

    def dry_run(self, sql: str) -> int | None:
        """Analysis only: the sandbox has no byte estimate."""
        self._analyze(self.inline_views(sql))
        return None

    def run(self, sql: str) -> "pa.Table":
        from toolkit.gold.data import read_table_data
        from toolkit.sql.zetasql_service import ZetaSQL

        sql = self.inline_views(sql)
        self._analyze(sql)
        rewritten, referenced = _referenced(sql, self.registered_tables(), self.config.project)
        entries = self._project(self._load())["tables"]
        contents = {}
        partial = []
        for name, (key, table) in referenced.items():
            columns = _needed_columns(sql, table)
            files = _files_read(entries.get(key, {}).get("uris"))
            # One row past the limit tells whether the files hold more than we evaluate: the row count recorded at
            # CREATE time is stale as soon as `gold publish` adds files (BigQuery lists them at query time).
            rows = read_table_data(table, columns=columns, limit=self.row_limit + 1, files=files)
            if rows.num_rows > self.row_limit:
                rows = rows.slice(0, self.row_limit)
                total = read_table_data(table, columns=columns[:1], files=files).num_rows
                partial.append(f"{key}: {self.row_limit:,} of {total:,} rows")
            contents[name] = rows
        result = ZetaSQL.get().evaluate(rewritten, contents)
        self.last_partial = tuple(partial)
        self.last_note = (
            "BigQuery sandbox (ZetaSQL reference evaluator) "
            + (f"evaluated a sample ({'; '.join(partial)}): PARTIAL, totals cover only these rows; raise "
               "FEDKIT_BIGQUERY_SANDBOX_ROWS to read every row" if partial else f"evaluated all rows (limit {self.row_limit:,})")
        )
        return result


def _refuse_flexible_names(schema: "GoldTable", key: str) -> None:
    """Model BigQuery: "External tables don't support flexible column names" (docs.cloud.google.com/bigquery/docs/
    external-tables, Limitations; "Load Parquet data from Cloud Storage", Flexible column names > Limitations). ZetaSQL
    itself would analyze such a name happily, so the sandbox refuses it here, where BigQuery reads the Parquet."""
    from toolkit.gold.names import bigquery_table_problem

    problem = bigquery_table_problem(schema)
    if problem:
        raise CloudError(f"BigQuery (sandbox): cannot create {key}: {problem}")


def _markers(sql: str, name: str) -> dict[str, Any]:
    """The description and labels a CREATE gave the table, as BigQuery keeps them: the sandbox records fedkit's own
    marker when the DDL (parsed by ZetaSQL before) sets it, and nothing for a table created without it."""
    from toolkit.registration.orphans import table_comment
    from toolkit.sql.ddl import bq_string

    marked: dict[str, Any] = {}
    if f"description = {bq_string(table_comment(name))}" in sql:
        marked["description"] = table_comment(name)
    if f"labels = [({bq_string('managed-by')}, {bq_string('fedkit')})]" in sql:
        marked["labels"] = [["managed-by", "fedkit"]]
    return marked


def _files_read(uris: list[str] | None) -> list[str] | None:
    """The objects a table's `uris` select in sandbox S3, listed at query time as BigQuery does (None: a table
    registered before its uris were recorded reads what the gold reader sees)."""
    from toolkit.engines.s3_files import bigquery_table_files

    return None if not uris else list(bigquery_table_files(tuple(uris)))


def _referenced(sql: str, tables: dict[str, "GoldTable"], project: str) -> tuple[str, dict[str, tuple[str, "GoldTable"]]]:
    """(SQL for the evaluator, {content name: (dataset.table, table)}).

    The evaluator only finds table content under a table's own catalog name, not through a path (`gold.t`), so
    every reference to a registered table is rewritten to one backticked name (`` `gold.t` AS t ``), which BigQuery
    reads the same way; the implicit alias (the last path part) is made explicit so qualified columns still resolve.
    """
    import sqlglot
    from sqlglot import exp

    lowered = {key.lower(): key for key in tables}
    found: dict[str, tuple[str, "GoldTable"]] = {}
    tree = sqlglot.parse_one(sql, read="bigquery")
    for node in list(tree.find_all(exp.Table)):
        parts = [p for p in (node.catalog, node.db, node.name) if p]
        if len(parts) == 1 and "." in parts[0]:  # `dataset.table` or `project.dataset.table` as one identifier
            parts = parts[0].split(".")
        if len(parts) < 2 or len(parts) > 3 or (len(parts) == 3 and parts[0] != project):
            continue
        key = lowered.get(".".join(parts[-2:]).lower())
        if key is None:
            continue
        found[key] = (key, tables[key])
        replacement = exp.Table(this=exp.to_identifier(key, quoted=True))
        alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(parts[-1], quoted=True))
        replacement.set("alias", alias)
        node.replace(replacement)
    return tree.sql(dialect="bigquery"), found


def _needed_columns(sql: str, table: "GoldTable") -> list[str]:
    """Only the columns the query names (the evaluator is slow per cell); all of them for `*`."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="bigquery")
    if any(True for _ in tree.find_all(exp.Star)) and not all(
        isinstance(star.parent, exp.Count) for star in tree.find_all(exp.Star)
    ):
        return [c.name for c in table.columns]
    named = {column.name.lower() for column in tree.find_all(exp.Column)}
    columns = [c.name for c in table.columns if c.name.lower() in named]
    return columns or [table.columns[0].name]
