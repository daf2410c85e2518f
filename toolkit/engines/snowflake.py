"""Snowflake through snowflake-connector-python: queries, EXPLAIN dry runs, and the registration steps.

The connection comes from Snowflake's own conventions (`snowflake_connect`); sessions are pinned to UTC.
Registration reads what exists with SHOW/DESC/information_schema and runs the DDL rendered from the templates.
`SnowflakeSandboxEngine` (snowflake_sandbox.py) overrides the few steps fakesnow cannot run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from toolkit.errors import CloudError, UsageError
from toolkit.registration.desired import sf_resolved
from toolkit.registration.observed import ObservedIntegration, ObservedSnowflake, ObservedStage
from toolkit.sql.ddl import sf_ident, sf_string

if TYPE_CHECKING:
    from datetime import datetime

    import pyarrow as pa

    from toolkit.config import LoadedConfig
    from toolkit.registration.desired import SnowflakeDesired, SnowflakeTableSpec
    from toolkit.registration.freshness import Freshness
    from toolkit.registration.observed import SnowflakeDefinition
    from toolkit.engines.validate_integration import Validation
    from toolkit.registration.orphans import ObservedTable
    from toolkit.registration.view_plan import DesiredView, ObservedView


class SnowflakeCloudEngine:
    name: ClassVar[str] = "snowflake"
    dialect: ClassVar[str] = "snowflake"
    can_run: ClassVar[bool] = True
    can_dry_run: ClassVar[bool] = True
    can_register: ClassVar[bool] = True
    mode = "cloud"

    def __init__(self, loaded: "LoadedConfig", connect_kwargs: dict[str, Any] | None = None):
        self.loaded = loaded
        self._connect_kwargs = connect_kwargs
        self._conn: Any = None

    # -- connection -----------------------------------------------------------------------------------------------
    def connect_kwargs(self) -> dict[str, Any]:
        from toolkit.engines.snowflake_connect import connect_kwargs, with_utc

        if self._connect_kwargs is not None:
            return with_utc(self._connect_kwargs)
        return connect_kwargs(self.loaded)

    @property
    def connection(self) -> Any:
        if self._conn is None:
            from toolkit.engines.snowflake_connect import connect

            self._conn = connect(self.connect_kwargs())
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def execute(self, sql: str, params: Any = None) -> list[dict[str, Any]]:
        """Run one statement; rows as dicts keyed by lower-case column name. CloudError names the statement."""
        import snowflake.connector

        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, params)
            names = [d[0].lower() for d in cursor.description or []]
            return [dict(zip(names, row)) for row in cursor.fetchall()] if names else []
        except snowflake.connector.errors.Error as exc:
            head = sql.strip().splitlines()[0][:120]
            raise CloudError(f"Snowflake: {head}: {str(getattr(exc, 'msg', None) or exc).splitlines()[0]}")
        finally:
            cursor.close()

    # -- Engine protocol ------------------------------------------------------------------------------------------
    def run(self, sql: str) -> "pa.Table":
        """Rows as Arrow, built from the connector's Python values (its own Arrow fetch needs pandas)."""
        import pyarrow as pa
        import snowflake.connector

        cursor = self.connection.cursor()
        try:
            cursor.execute(sql)
            names = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall() if names else []
        except snowflake.connector.errors.Error as exc:
            raise CloudError(f"Snowflake: {str(getattr(exc, 'msg', None) or exc).splitlines()[0]}")
        finally:
            cursor.close()
        columns = list(zip(*rows)) if rows else [() for _ in names]
        return pa.table({name: pa.array(list(values)) for name, values in zip(_unique(names), columns)})

    def dry_run(self, sql: str) -> int | None:
        """EXPLAIN compiles the query without running it; Snowflake reports no byte estimate there."""
        self.execute("EXPLAIN USING TEXT " + sql)
        return None

    # -- observe --------------------------------------------------------------------------------------------------
    def _show(self, what: str, name: str, scope: str = "") -> list[dict[str, Any]]:
        resolved = sf_resolved(name)
        rows = self.execute(f"SHOW {what} LIKE {sf_string(resolved)}{scope}")
        return [row for row in rows if row.get("name") == resolved]

    def _schema_scope(self, desired: "SnowflakeDesired") -> str:
        return f" IN SCHEMA {sf_ident(desired.database)}.{sf_ident(desired.schema)}"

    def observe(self, desired: "SnowflakeDesired") -> ObservedSnowflake:
        from dataclasses import replace

        return replace(self.observe_objects(desired), integration=self.describe_integration(desired.integration))

    def observe_objects(self, desired: "SnowflakeDesired") -> ObservedSnowflake:
        """Database, schema, file format, stage and external tables (not the account-level integration)."""
        if not self._show("DATABASES", desired.database):
            return ObservedSnowflake()
        if not self._show("SCHEMAS", desired.schema, f" IN DATABASE {sf_ident(desired.database)}"):
            return ObservedSnowflake(database=True)
        tables = self.observe_tables(desired)
        file_format = self.observe_file_format(desired)
        return ObservedSnowflake(
            database=True,
            schema=True,
            file_format=file_format is not None,
            file_format_options=file_format,
            stage=self.observe_stage(desired),
            tables=tables,
            definitions=self.observe_definitions(desired, tables),
        )

    def describe_integration(self, name: str) -> ObservedIntegration | None:
        if not self._show("INTEGRATIONS", name):
            return None
        props = {r["property"]: r.get("property_value") for r in self.execute(f"DESC INTEGRATION {sf_ident(name)}")}
        locations = tuple(p.strip() for p in str(props.get("STORAGE_ALLOWED_LOCATIONS") or "").split(",") if p.strip())
        return ObservedIntegration(
            role_arn=str(props.get("STORAGE_AWS_ROLE_ARN") or ""),
            allowed_locations=locations,
            enabled=str(props.get("ENABLED", "true")).lower() == "true",
            iam_user_arn=props.get("STORAGE_AWS_IAM_USER_ARN") or None,
            external_id=props.get("STORAGE_AWS_EXTERNAL_ID") or None,
        )

    def observe_file_format(self, desired: "SnowflakeDesired") -> dict[str, str] | None:
        """The file format's options (upper-case name -> upper-case value), None when it does not exist.

        SHOW FILE FORMATS reports them as JSON in `format_options` (docs.snowflake.com "SHOW FILE FORMATS"); when that
        column is missing or unreadable, DESC FILE FORMAT lists them as property/property_value rows ("DESCRIBE FILE
        FORMAT").
        """
        rows = self._show("FILE FORMATS", desired.file_format, self._schema_scope(desired))
        if not rows:
            return None
        options = parse_format_options(rows[0].get("format_options"))
        if options is None:
            described = self.execute(f"DESC FILE FORMAT {self._fq_name(desired, desired.file_format)}")
            options = {str(r["property"]).upper(): str(r.get("property_value")).upper() for r in described}
        if rows[0].get("type"):
            options.setdefault("TYPE", str(rows[0]["type"]).upper())
        return options

    def _fq_name(self, desired: "SnowflakeDesired", name: str) -> str:
        return f"{sf_ident(desired.database)}.{sf_ident(desired.schema)}.{sf_ident(name)}"

    def observe_stage(self, desired: "SnowflakeDesired") -> ObservedStage | None:
        rows = self._show("STAGES", desired.stage, self._schema_scope(desired))
        if not rows:
            return None
        return ObservedStage(url=str(rows[0].get("url") or ""), integration=rows[0].get("storage_integration"))

    def observe_tables(self, desired: "SnowflakeDesired") -> dict[str, tuple[tuple[str, str], ...]]:
        names = [r["name"] for r in self.execute(f"SHOW EXTERNAL TABLES{self._schema_scope(desired)}")]
        return self._columns(desired, names)

    def observe_definitions(self, desired: "SnowflakeDesired", tables: Any) -> dict[str, "SnowflakeDefinition"]:
        """LOCATION and PATTERN of each of fedkit's external tables that exists (`tables`: by the name Snowflake stores).

        SHOW EXTERNAL TABLES' `location` is "External stage and folder path in the external table definition"
        (docs.snowflake.com "SHOW EXTERNAL TABLES"); that page lists no `pattern` column, so the PATTERN comes from
        GET_DDL('TABLE', …), the statement that recreates the table ("GET_DDL"), one query per table. A `pattern`
        column, where an account reports one, is used as is.
        """
        from toolkit.registration.definitions import parse_snowflake_ddl
        from toolkit.registration.observed import SnowflakeDefinition

        wanted = {sf_resolved(t.name): t.name for t in desired.tables if sf_resolved(t.name) in tables}
        if not wanted:
            return {}
        rows = self.execute(f"SHOW EXTERNAL TABLES{self._schema_scope(desired)}")
        result = {}
        for row in rows:
            name = str(row.get("name"))
            if name not in wanted:
                continue
            location = str(row["location"]) if row.get("location") else None
            if "pattern" in row:
                result[name] = SnowflakeDefinition(location, str(row.get("pattern") or ""))
                continue
            ddl = self.execute(f"SELECT GET_DDL('TABLE', {sf_string(self._fq_name(desired, wanted[name]))}) AS DDL")
            parsed = parse_snowflake_ddl(str(next(iter(ddl[0].values()))) if ddl and ddl[0] else "")
            result[name] = SnowflakeDefinition(location or parsed.location, parsed.pattern)
        return result

    def observe_freshness(self, desired: "SnowflakeDesired") -> dict[str, "Freshness"]:
        """Per registered table: `last_refreshed_on` from SHOW EXTERNAL TABLES and the newest S3 `LastModified` among
        exactly the files it reads, its PATTERN under its LOCATION, as the sandbox selects them (the planner compares
        them: toolkit.registration.freshness)."""
        from toolkit.engines import s3_files
        from toolkit.registration.freshness import Freshness

        if not self._schema_exists(desired.database, desired.schema):
            return {}
        rows = self.execute(f"SHOW EXTERNAL TABLES{self._schema_scope(desired)}")
        refreshed = {str(r["name"]): parse_timestamp(r.get("last_refreshed_on")) for r in rows}
        result = {}
        for table in desired.tables:
            name = sf_resolved(table.name)
            if name in refreshed:
                files = s3_files.snowflake_table_files(desired, table)
                result[name] = Freshness(refreshed[name], s3_files.newest(files), len(files))
        return result

    def account_region(self) -> str | None:
        """`AWS_US_EAST_1`, `AZURE_WESTEUROPE`, `PUBLIC.GCP_US_CENTRAL1`… (where the Snowflake account is hosted)."""
        from toolkit.registration.freshness import REGION_QUERY

        rows = self.execute(REGION_QUERY)
        return str(next(iter(rows[0].values()))) if rows and rows[0] else None

    def _columns(self, desired: "SnowflakeDesired", names: list[str]) -> dict[str, tuple[tuple[str, str], ...]]:
        if not names:
            return {}
        rows = self.execute(
            f"SELECT table_name, column_name, data_type, numeric_precision, numeric_scale "
            f"FROM {sf_ident(desired.database)}.information_schema.columns WHERE table_schema = %s "
            "ORDER BY table_name, ordinal_position",
            (sf_resolved(desired.schema),),
        )
        tables: dict[str, list[tuple[str, str]]] = {name: [] for name in names}
        for row in rows:
            if row["table_name"] in tables:
                kind = str(row["data_type"]).upper()
                if kind in ("NUMBER", "DECIMAL", "FIXED") and row.get("numeric_precision") is not None:
                    kind = f"NUMBER({row['numeric_precision']},{row.get('numeric_scale') or 0})"
                tables[row["table_name"]].append((row["column_name"], kind))
        return {name: tuple(columns) for name, columns in tables.items()}

    # -- registration steps ---------------------------------------------------------------------------------------
    def create_object(self, sql: str) -> None:
        """Database, schema, file format: plain DDL."""
        self.execute(sql)

    def alter_file_format(self, sql: str, desired: "SnowflakeDesired") -> None:
        """`ALTER FILE FORMAT … SET USE_LOGICAL_TYPE = TRUE, BINARY_AS_TEXT = FALSE` on a format that drifted."""
        self.execute(sql)

    def create_integration(self, sql: str, desired: "SnowflakeDesired") -> None:
        if "OR REPLACE" in sql.upper().split("INTEGRATION")[0]:
            raise UsageError("refusing CREATE OR REPLACE STORAGE INTEGRATION: it would break the role's trust")
        self.execute(sql)

    def alter_integration(self, sql: str, desired: "SnowflakeDesired") -> None:
        self.execute(sql)

    def create_stage(self, sql: str, desired: "SnowflakeDesired") -> None:
        self.execute(sql)

    def create_external_table(
        self, sql: str, desired: "SnowflakeDesired", table: "SnowflakeTableSpec", replace: bool = False
    ) -> None:
        self.execute(sql)

    def refresh_external_table(self, sql: str, desired: "SnowflakeDesired", table: "SnowflakeTableSpec") -> None:
        """`ALTER EXTERNAL TABLE … REFRESH` (planned by toolkit.registration.freshness)."""
        self.execute(sql)

    # -- access check (toolkit.engines.validate_integration) ----------------------------------------------------------
    def validate_integration(self, desired: "SnowflakeDesired", test_file: str | None = None) -> "Validation":
        """SYSTEM$VALIDATE_STORAGE_INTEGRATION(…, 'read') on the gold prefix: can the integration read it now? 'read'
        fails when the file does not exist, so `test_file` is a gold file (relative to the prefix) when there is one."""
        from toolkit.engines.validate_integration import TEST_FILE, parse_validation, validate_sql

        rows = self.execute(validate_sql(desired.integration, desired.stage_url, test_file or TEST_FILE))
        answer = next(iter(rows[0].values()), None) if rows else None
        return parse_validation(desired.integration, desired.stage_url, answer)

    # -- orphans (toolkit.registration.orphans) -------------------------------------------------------------------
    def observe_table_markers(self, desired: "SnowflakeDesired") -> list["ObservedTable"]:
        """External tables in the schema with their comment (fedkit's marker): `SHOW EXTERNAL TABLES`, columns
        `name` and `comment` (docs.snowflake.com "SHOW EXTERNAL TABLES")."""
        from toolkit.registration.orphans import ObservedTable

        if not self._schema_exists(desired.database, desired.schema):
            return []
        rows = self.execute(f"SHOW EXTERNAL TABLES{self._schema_scope(desired)}")
        return [ObservedTable(str(r["name"]), str(r.get("comment") or "")) for r in rows if r.get("name")]

    def drop_table(self, sql: str, desired: "SnowflakeDesired", name: str) -> None:
        """`DROP EXTERNAL TABLE IF EXISTS` of an orphan fedkit made (its marker was checked by the plan)."""
        self.execute(sql)

    # -- KPI views (toolkit.registration.views) -------------------------------------------------------------------
    def _schema_exists(self, database: str, schema: str) -> bool:
        return bool(self._show("DATABASES", database)) and bool(
            self._show("SCHEMAS", schema, f" IN DATABASE {sf_ident(database)}")
        )

    def observe_views(self, container: tuple[str, ...]) -> dict[str, "ObservedView"]:
        """Views in (database, schema) from `SHOW VIEWS`: stored name -> CREATE text and comment."""
        from toolkit.registration.view_plan import ObservedView

        database, schema = container
        if not self._schema_exists(database, schema):
            return {}
        rows = self.execute(f"SHOW VIEWS IN SCHEMA {sf_ident(database)}.{sf_ident(schema)}")
        return {r["name"]: ObservedView(r["name"], r.get("text"), r.get("comment") or "") for r in rows}

    def create_view(self, view: "DesiredView") -> None:
        self.execute(view.ddl)

    def drop_view(self, container: tuple[str, ...], name: str, sql: str) -> None:
        self.execute(sql)

    # -- handshake ------------------------------------------------------------------------------------------------
    def bigquery_identity(self) -> str | None:
        return None

    def snowflake_identity(self) -> tuple[str, str] | None:
        config = self.loaded.config.snowflake
        if config is None:
            return None
        observed = self.describe_integration(config.integration)
        if observed is None or not observed.iam_user_arn or not observed.external_id:
            return None
        return observed.iam_user_arn, observed.external_id

    def snowflake_notification_channel(self) -> str | None:
        """A Snowflake-managed SQS queue auto-refresh listens on (the first table's): the identity plans show."""
        return next(iter(self.snowflake_notification_channels().values()), None)

    def snowflake_notification_channels(self) -> dict[str, str]:
        """Each external table's own auto-refresh queue, by the name Snowflake stores (`SHOW EXTERNAL TABLES`,
        column `notification_channel`; docs.snowflake.com "SHOW EXTERNAL TABLES" and "Refresh external tables
        automatically for Amazon S3": the channel is per table, and Snowflake may use more than one queue)."""
        config = self.loaded.config.snowflake
        if config is None:
            return {}
        try:
            rows = self.execute(f"SHOW EXTERNAL TABLES IN SCHEMA {sf_ident(config.database)}.{sf_ident(config.schema_)}")
        except CloudError:
            return {}
        return {str(r["name"]): str(r["notification_channel"]) for r in rows
                if r.get("name") and r.get("notification_channel")}


def parse_format_options(text: Any) -> dict[str, str] | None:
    """SHOW FILE FORMATS' `format_options` JSON as upper-case name -> upper-case value; None when it is not JSON."""
    import json

    if not text:
        return None
    try:
        data = json.loads(str(text))
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None

    def spelled(value: Any) -> str:
        return ("TRUE" if value else "FALSE") if isinstance(value, bool) else str(value).upper()

    return {str(key).upper(): spelled(value) for key, value in data.items()}


def parse_timestamp(value: Any) -> "datetime | None":
    """SHOW's timestamps: the connector gives an aware datetime (TIMESTAMP_LTZ); a text one is read as ISO 8601.
    A naive value is UTC (fedkit pins its sessions to UTC)."""
    import re
    from datetime import datetime, timezone

    if value is None or value == "":
        return None
    if not isinstance(value, datetime):
        text = re.sub(r"\s*(?:Z|([+-]\d{2}):?(\d{2}))$", lambda m: f"{m[1]}:{m[2]}" if m[1] else "+00:00", str(value).strip())
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise CloudError(f"Snowflake: SHOW EXTERNAL TABLES: last_refreshed_on {str(value)[:60]!r} is not a timestamp")
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _unique(names: list[str]) -> list[str]:
    """Result column names made unique (`N`, `N_2`) so they fit an Arrow table."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return result
