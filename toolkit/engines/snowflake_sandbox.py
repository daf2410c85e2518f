"""Snowflake on the sandbox: fakesnow's server through the same connector, with two statements emulated.

fakesnow runs databases, schemas, file formats, internal stages, PUT, COPY INTO and queries. It cannot run
`CREATE STORAGE INTEGRATION` nor external tables with virtual columns (DESIGN §4), so for those (and for the
external stage that depends on the integration) this adapter:
- validates the real DDL text with sqlglot's Snowflake parser (what would run on Snowflake is still checked);
- records the object in a sandbox table (`FEDKIT_SANDBOX.EMULATION.OBJECTS`: kind, name, DDL, properties), which
  is what `observe` reads back, so plan/apply are idempotent here as in the cloud;
- integration: reports a deterministic IAM user ARN and external id (derived from the integration name, kept
  across `ALTER`, like Snowflake), so the IAM handshake runs end to end;
- stage: creates an internal stage of the same name (fakesnow cannot reach S3);
- external table: materialises a real table with the same columns and types, loaded from the table's Parquet in
  sandbox S3: downloaded to a temp dir, `PUT` to the stage, `COPY INTO … MATCH_BY_COLUMN_NAME =
  CASE_INSENSITIVE` (the real Snowflake load path), partition columns taken from the hive folders;
- refresh: a real external table reads the files in its metadata, synced by notifications or `ALTER EXTERNAL TABLE …
  REFRESH`; the copy is synced only by a refresh. The load records the S3 file list (keys, sizes, ETags);
  `observe_freshness` reports what changed since, the planner (toolkit.registration.freshness) emits the REFRESH,
  and applying it reloads the table (a REFRESH that finds the same files reloads nothing, like Snowflake's).
  `stale_tables` lets a reading command (`fedkit kpi run`) say the copy is behind instead of serving old rows silently.
- region: `CURRENT_REGION()` is answered as `AWS_<aws.region>` (the sandbox's Snowflake lives beside its S3).
- file format: fakesnow keeps a CREATE FILE FORMAT's options (SHOW FILE FORMATS) but cannot parse ALTER FILE FORMAT
  or DESC FILE FORMAT; an ALTER is validated with sqlglot and emulated by re-creating the format with the merged
  options. Its Parquet reader ignores USE_LOGICAL_TYPE (it reads through DuckDB, which keeps instants either way), so
  the sandbox shows the options, not their effect on a real Snowflake read.
KPI views run natively (fakesnow has CREATE VIEW), but its `SHOW VIEWS` echoes DuckDB's text and no comment, so the
view's Snowflake query and comment are also recorded in the registry for `observe_views`.
`EMULATION_NOTE` says so in plan/apply output.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import TYPE_CHECKING, Any, ContextManager

from toolkit.engines.snowflake import SnowflakeCloudEngine, parse_format_options
from toolkit.errors import UsageError
from toolkit.registration.desired import sf_resolved
from toolkit.registration.observed import ObservedIntegration, ObservedStage
from toolkit.sql.ddl import check_snowflake, sf_ident, sf_string

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.registration.desired import SnowflakeDesired, SnowflakeTableSpec
    from toolkit.registration.freshness import Freshness
    from toolkit.registration.observed import SnowflakeDefinition
    from toolkit.engines.validate_integration import Validation
    from toolkit.registration.orphans import ObservedTable
    from toolkit.registration.view_plan import DesiredView, ObservedView

EMULATION_NOTE = (
    "sandbox: fakesnow has no storage integrations or external tables; the DDL is validated with sqlglot, the "
    "integration is recorded with a deterministic IAM user/external id, and the external table is a real table "
    "loaded from the staged Parquet"
)
_REGISTRY = "FEDKIT_SANDBOX.EMULATION.OBJECTS"
SANDBOX_SNOWFLAKE_ACCOUNT_ID = "999999999999"  # the AWS account the fake Snowflake IAM user lives in


def sandbox_identity(integration: str) -> tuple[str, str]:
    """(IAM user ARN, external id) the sandbox reports for an integration: stable for the same name."""
    digest = hashlib.sha256(f"fedkit-sandbox-integration:{sf_resolved(integration)}".encode()).hexdigest()
    return (
        f"arn:aws:iam::{SANDBOX_SNOWFLAKE_ACCOUNT_ID}:user/sandbox-sf-{digest[:8]}",
        f"SANDBOX_SFCRole=2_{digest[8:36]}",
    )


def sandbox_notification_channel(region: str) -> str:
    return f"arn:aws:sqs:{region}:{SANDBOX_SNOWFLAKE_ACCOUNT_ID}:sf-snowpipe-sandbox-{region}"


# -- S3 file fingerprints (what a real external table's metadata tracks; the sandbox's copy records it at load) -----
def s3_files(desired: "SnowflakeDesired", table: "SnowflakeTableSpec") -> dict[str, str]:
    """The files the external table reads (LOCATION + PATTERN, `toolkit.engines.s3_files`): URI -> "size:etag"."""
    from toolkit.engines.s3_files import snowflake_table_files

    return {uri: file.meta for uri, file in snowflake_table_files(desired, table).items()}


def fingerprint(files: dict[str, str]) -> str:
    """One digest of the file list (keys, sizes, ETags): equal exactly when the listing is."""
    text = "\n".join(f"{key}\t{meta}" for key, meta in sorted(files.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def describe_changes(before: dict[str, str] | None, now: dict[str, str]) -> str:
    """"2 files added, 1 changed" between two listings; says so when nothing was recorded at the last load."""
    if before is None:
        return "no file list recorded at the last load"
    parts = []
    for label, count in (
        ("added", sum(1 for k in now if k not in before)),
        ("changed", sum(1 for k in now if k in before and before[k] != now[k])),
        ("removed", sum(1 for k in before if k not in now)),
    ):
        if count:
            parts.append(f"{count} file{'s' if count != 1 else ''} {label}")
    return ", ".join(parts) or "table location changed"


class SnowflakeSandboxEngine(SnowflakeCloudEngine):
    mode = "sandbox"
    emulation_note = EMULATION_NOTE

    def __init__(self, loaded: "LoadedConfig", connect_kwargs: dict[str, Any] | None = None):
        super().__init__(loaded, connect_kwargs)
        self._registry_ready = False

    def connect_kwargs(self) -> dict[str, Any]:
        from toolkit.engines.snowflake_connect import with_utc
        from toolkit.sandbox.state import sandbox_snowflake_kwargs

        kwargs = self._connect_kwargs if self._connect_kwargs is not None else sandbox_snowflake_kwargs()
        if kwargs is None:
            raise UsageError("the Snowflake sandbox is not running: start it with `fedkit sandbox up`")
        return with_utc(kwargs)

    def dry_run(self, sql: str) -> int | None:
        """fakesnow has no EXPLAIN: compile and run the query with no rows (`SELECT * FROM (…) LIMIT 0`)."""
        self.execute(f"SELECT * FROM ({sql.strip().rstrip(';')}) LIMIT 0")
        return None

    # -- the emulation registry -----------------------------------------------------------------------------------
    def _registry(self) -> None:
        if not self._registry_ready:
            self.execute("CREATE DATABASE IF NOT EXISTS FEDKIT_SANDBOX")
            self.execute("CREATE SCHEMA IF NOT EXISTS FEDKIT_SANDBOX.EMULATION")
            self.execute(
                f"CREATE TABLE IF NOT EXISTS {_REGISTRY} (KIND VARCHAR, NAME VARCHAR, DDL VARCHAR, PROPS VARCHAR)"
            )
            self._registry_ready = True

    def _record(self, kind: str, name: str, ddl: str, props: dict[str, Any]) -> None:
        self._registry()
        with _serialised():  # DELETE + INSERT from two processes at once would leave two records
            self.execute(f"DELETE FROM {_REGISTRY} WHERE KIND = %s AND NAME = %s", (kind, name))
            self.execute(f"INSERT INTO {_REGISTRY} VALUES (%s, %s, %s, %s)", (kind, name, ddl, json.dumps(props)))

    def _lookup(self, kind: str, name: str | None = None) -> dict[str, dict[str, Any]]:
        self._registry()
        if name is None:
            rows = self.execute(f"SELECT NAME, PROPS FROM {_REGISTRY} WHERE KIND = %s", (kind,))
        else:
            rows = self.execute(f"SELECT NAME, PROPS FROM {_REGISTRY} WHERE KIND = %s AND NAME = %s", (kind, name))
        return {row["name"]: json.loads(row["props"]) for row in rows}

    def _fq(self, desired: "SnowflakeDesired", name: str) -> str:
        return f"{sf_ident(desired.database)}.{sf_ident(desired.schema)}.{sf_ident(name)}"

    def _key(self, desired: "SnowflakeDesired", name: str) -> str:
        return ".".join(sf_resolved(part) for part in (desired.database, desired.schema, name))

    # -- observe (emulated objects) -------------------------------------------------------------------------------
    def describe_integration(self, name: str) -> ObservedIntegration | None:
        props = self._lookup("integration", sf_resolved(name)).get(sf_resolved(name))
        if props is None:
            return None
        arn, external_id = sandbox_identity(name)
        return ObservedIntegration(
            role_arn=props["role_arn"],
            allowed_locations=tuple(props["allowed_locations"]),
            iam_user_arn=arn,
            external_id=external_id,
        )

    def observe_stage(self, desired: "SnowflakeDesired") -> ObservedStage | None:
        props = self._lookup("stage", self._key(desired, desired.stage)).get(self._key(desired, desired.stage))
        if props is None or not self._show("STAGES", desired.stage, self._schema_scope(desired)):
            return None
        return ObservedStage(url=props["url"], integration=props["integration"])

    def observe_tables(self, desired: "SnowflakeDesired") -> dict[str, tuple[tuple[str, str], ...]]:
        prefix = self._key(desired, "")
        recorded = [key[len(prefix) :] for key in self._lookup("external_table") if key.startswith(prefix)]
        existing = {r["name"] for r in self.execute(f"SHOW TABLES{self._schema_scope(desired)}")}
        return self._columns(desired, [name for name in recorded if name in existing])

    def observe_definitions(self, desired: "SnowflakeDesired", tables: Any) -> dict[str, "SnowflakeDefinition"]:
        """LOCATION and PATTERN read back from the CREATE statement recorded for each existing table, through the same
        parser as the cloud's GET_DDL text (`toolkit.registration.definitions.parse_snowflake_ddl`)."""
        from toolkit.registration.definitions import parse_snowflake_ddl

        self._registry()
        prefix = self._key(desired, "")
        rows = self.execute(f"SELECT NAME, DDL FROM {_REGISTRY} WHERE KIND = %s", ("external_table",))
        return {row["name"][len(prefix):]: parse_snowflake_ddl(str(row["ddl"] or "")) for row in rows
                if row["name"].startswith(prefix) and row["name"][len(prefix):] in tables}

    def stale_tables(self, desired: "SnowflakeDesired") -> dict[str, str]:
        """Loaded tables (stored name -> what changed) whose S3 files differ from the ones recorded at their last load."""
        recorded = self._lookup("external_table")
        stale = {}
        for spec in desired.tables:
            props = recorded.get(self._key(desired, spec.name))
            if props is None:
                continue
            now = s3_files(desired, spec)
            if props.get("fingerprint") != fingerprint(now) or props.get("location") != spec.location:
                stale[sf_resolved(spec.name)] = describe_changes(props.get("files"), now)
        return stale

    def observe_freshness(self, desired: "SnowflakeDesired") -> dict[str, "Freshness"]:
        """Each loaded table, `changed` set when its S3 files (keys, sizes, ETags) differ from those of its last load.

        The exact file list, not timestamps: moto's LastModified has whole seconds, and a publish within the second of
        a load would go unseen.
        """
        from toolkit.registration.freshness import Freshness

        existing = self.observe_tables(desired)
        stale = self.stale_tables(desired) if existing else {}
        return {name: Freshness(changed=stale.get(name)) for name in existing}

    def account_region(self) -> str | None:
        """fakesnow has no CURRENT_REGION(): the sandbox's Snowflake is "hosted" on AWS in the config's region."""
        aws = self.loaded.config.aws
        return "AWS_" + (aws.region if aws else "us-east-1").upper().replace("-", "_")

    def observe_file_format(self, desired: "SnowflakeDesired") -> dict[str, str] | None:
        """fakesnow keeps the options a CREATE FILE FORMAT gave in SHOW FILE FORMATS' `format_options` (JSON) and has
        no DESC FILE FORMAT: an option it does not list was not set, and the planner assumes Snowflake's default."""
        rows = self._show("FILE FORMATS", desired.file_format, self._schema_scope(desired))
        if not rows:
            return None
        options = parse_format_options(rows[0].get("format_options")) or {}
        options.setdefault("TYPE", str(rows[0].get("type") or "CSV").upper())
        return options

    def snowflake_notification_channel(self) -> str | None:
        return next(iter(self.snowflake_notification_channels().values()), None)

    def snowflake_notification_channels(self) -> dict[str, str]:
        """Every recorded external table of this schema -> the sandbox's queue for the region (SHOW EXTERNAL TABLES'
        `notification_channel`; Snowflake may hand out several, the sandbox one)."""
        config = self.loaded.config
        if config.snowflake is None:
            return {}
        prefix = ".".join(sf_resolved(part) for part in (config.snowflake.database, config.snowflake.schema_, ""))
        channel = sandbox_notification_channel(config.aws.region if config.aws else "us-east-1")
        return {key[len(prefix):]: channel for key in self._lookup("external_table") if key.startswith(prefix)}

    # -- registration steps (emulated where fakesnow cannot) ------------------------------------------------------
    def create_integration(self, sql: str, desired: "SnowflakeDesired") -> None:
        if "OR REPLACE" in sql.upper().split("INTEGRATION")[0]:
            raise UsageError("refusing CREATE OR REPLACE STORAGE INTEGRATION: it would break the role's trust")
        check_snowflake(sql)
        name = sf_resolved(desired.integration)
        if self._lookup("integration", name):
            return  # IF NOT EXISTS: an existing integration is left alone (its external id must not change)
        props = {"role_arn": desired.role_arn, "allowed_locations": list(desired.allowed_locations)}
        self._record("integration", name, sql, props)

    def alter_integration(self, sql: str, desired: "SnowflakeDesired") -> None:
        check_snowflake(sql)
        props = {"role_arn": desired.role_arn, "allowed_locations": list(desired.allowed_locations)}
        self._record("integration", sf_resolved(desired.integration), sql, props)

    def alter_file_format(self, sql: str, desired: "SnowflakeDesired") -> None:
        """`ALTER FILE FORMAT … SET`, emulated: fakesnow cannot parse ALTER FILE FORMAT, so the DDL is validated with
        sqlglot and the format re-created under the same name with its options merged (what ALTER leaves behind); the
        change is also recorded in the registry. fakesnow's own Parquet reader ignores these options either way."""
        from toolkit.registration.desired import FILE_FORMAT_OPTIONS

        check_snowflake(sql)
        options = dict(self.observe_file_format(desired) or {"TYPE": "PARQUET"})
        options.update(FILE_FORMAT_OPTIONS)
        kind = options.pop("TYPE")
        settings = " ".join(f"{key} = {_option_value(value)}" for key, value in options.items())
        self.execute(f"CREATE OR REPLACE FILE FORMAT {self._fq(desired, desired.file_format)} TYPE = {kind} {settings}")
        self._record("file_format", self._key(desired, desired.file_format), sql, {"TYPE": kind, **options})

    def create_stage(self, sql: str, desired: "SnowflakeDesired") -> None:
        check_snowflake(sql)
        self.execute(f"CREATE STAGE IF NOT EXISTS {self._fq(desired, desired.stage)}")
        props = {"url": desired.stage_url, "integration": sf_resolved(desired.integration)}
        self._record("stage", self._key(desired, desired.stage), sql, props)

    def create_external_table(
        self, sql: str, desired: "SnowflakeDesired", table: "SnowflakeTableSpec", replace: bool = False
    ) -> None:
        from toolkit.registration.orphans import table_comment

        check_snowflake(sql)
        _stage_fault(desired, table)
        props = self._materialise(desired, table)
        if f"COMMENT = {sf_string(table_comment(table.name))}" in sql:  # what SHOW EXTERNAL TABLES would show
            props["comment"] = table_comment(table.name)
        self._record("external_table", self._key(desired, table.name), sql, props)

    def validate_integration(self, desired: "SnowflakeDesired", test_file: str | None = None) -> "Validation":
        from toolkit.engines.sandbox_validation import validate_in_sandbox

        return validate_in_sandbox(desired, sandbox_identity(desired.integration))

    def observe_table_markers(self, desired: "SnowflakeDesired") -> list["ObservedTable"]:
        from toolkit.registration.orphans import ObservedTable

        prefix = self._key(desired, "")
        recorded = {key[len(prefix):]: props for key, props in self._lookup("external_table").items()
                    if key.startswith(prefix)}
        if not recorded:
            return []
        existing = {r["name"] for r in self.execute(f"SHOW TABLES{self._schema_scope(desired)}")}
        return [ObservedTable(name, props.get("comment", "")) for name, props in sorted(recorded.items())
                if name in existing]

    def drop_table(self, sql: str, desired: "SnowflakeDesired", name: str) -> None:
        """`DROP EXTERNAL TABLE`, emulated: the DDL is validated, the loaded copy dropped and its record removed."""
        check_snowflake(sql)
        self.execute(f"DROP TABLE IF EXISTS {self._fq(desired, name)}")
        self._registry()
        self.execute(f"DELETE FROM {_REGISTRY} WHERE KIND = %s AND NAME = %s",
                     ("external_table", self._key(desired, name)))

    def refresh_external_table(self, sql: str, desired: "SnowflakeDesired", table: "SnowflakeTableSpec") -> None:
        """`ALTER EXTERNAL TABLE … REFRESH`, emulated: the DDL is validated, the table reloaded from S3 as it is now,
        and the new file fingerprint recorded (the recorded CREATE DDL is kept)."""
        check_snowflake(sql)
        _stage_fault(desired, table)
        key = self._key(desired, table.name)
        recorded = self._lookup("external_table", key).get(key)
        if recorded is None:
            raise UsageError(f"cannot refresh {key}: the sandbox has no such external table (run `fedkit apply`)")
        if recorded.get("location") == table.location and recorded.get("fingerprint") == fingerprint(
            s3_files(desired, table)
        ):
            return  # the same files: Snowflake's REFRESH registers nothing new either
        props = self._materialise(desired, table)
        self.execute(f"UPDATE {_REGISTRY} SET PROPS = %s WHERE KIND = %s AND NAME = %s",
                     (json.dumps(props), "external_table", key))

    def _materialise(self, desired: "SnowflakeDesired", table: "SnowflakeTableSpec") -> dict[str, Any]:
        """(Re)create the real table and load it; the registry properties, with the files the load saw."""
        files = s3_files(desired, table)  # listed before reading: a file changing mid-load shows up as stale later
        fq = self._fq(desired, table.name)
        columns = [(c.name, c.type) for c in table.columns]
        rows = self._load(desired, table, fq, columns, list(files))
        return {"location": table.location, "rows": rows, "columns": [[c.name, c.type] for c in table.columns],
                "fingerprint": fingerprint(files), "files": files}

    def _replace_table(self, desired: "SnowflakeDesired", name: str, columns: list[tuple[str, str]]) -> None:
        """`CREATE OR REPLACE TABLE name (columns)` in fakesnow, also where a name holds a single quote.

        fakesnow pastes a created or dropped table's name, and a VARCHAR column's name, unescaped into SQL of its own
        (`SELECT 'Table it's successfully created.'`), so CREATE and DROP fail on such names while RENAME works. Such
        a table is built under a plain name with plain column names, its columns renamed, the old copy renamed away
        and dropped, and the new one renamed into place.
        """
        fq = self._fq(desired, name)
        if "'" not in name and not any("'" in column for column, _ in columns):
            self.execute(f"CREATE OR REPLACE TABLE {fq} ({_column_list(columns)})")
            return
        token = uuid.uuid4().hex[:12].upper()
        fresh, old = self._fq(desired, f"FEDKIT_NEW_{token}"), self._fq(desired, f"FEDKIT_OLD_{token}")
        plain = [(f"FEDKIT_{token}_{i}" if "'" in column else column, kind) for i, (column, kind) in enumerate(columns)]
        self.execute(f"CREATE TABLE {fresh} ({_column_list(plain)})")
        for (placeholder, _), (column, _) in zip(plain, columns):
            if placeholder != column:
                self.execute(f"ALTER TABLE {fresh} RENAME COLUMN {placeholder} TO {sf_ident(column)}")
        if self._show("TABLES", name, self._schema_scope(desired)):
            self.execute(f"ALTER TABLE {fq} RENAME TO {old}")
            self.execute(f"DROP TABLE {old}")
        self.execute(f"ALTER TABLE {fresh} RENAME TO {fq}")

    def _load(
        self, desired: "SnowflakeDesired", table: "SnowflakeTableSpec", fq: str, columns: list[tuple[str, str]],
        files: list[str],
    ) -> int:
        """Parquet from sandbox S3 -> temp dir -> PUT to the stage -> COPY INTO (match columns by name) -> the table.

        Only `files` are read: the ones the external table's LOCATION and PATTERN select.

        fakesnow's COPY cannot target a quoted table name, so rows land in a plainly named load table first (a
        unique name per load). Then, under the sandbox's lock, the real table is replaced and filled from it: the table
        ends with this load's rows whatever another apply loaded meanwhile (appending doubled every row).
        (fakesnow cannot run the CREATE in a transaction: it writes its own catalog database in the same one.)
        """
        import tempfile
        from pathlib import Path

        import pyarrow.parquet as pq

        from toolkit.gold.data import read_table_data
        from toolkit.gold.footer_cache import FooterCache
        from toolkit.gold.schema import read_table

        # The footers plan read come from the cache (same ETag, same bytes).
        data = read_table_data(read_table(table.location, table.name, cache=FooterCache()), files=files)
        # Staged and loaded under positional placeholder names, inserted by position: fakesnow's column matching
        # upper-cases names with Python's rules (`Straße` -> `STRASSE`) and then misses the table's column.
        placeholders = [f"C{i}" for i in range(len(columns))]
        data = data.select([name for name, _ in columns]).rename_columns(placeholders)
        if data.num_rows == 0:
            self._replace_table(desired, table.name, columns)
            return 0
        token = uuid.uuid4().hex
        stage = f"@{self._fq(desired, desired.stage)}/_fedkit_sandbox/{token}/"
        load_name = f"FEDKIT_LOAD_{token[:12].upper()}"
        load = self._fq(desired, load_name)
        with tempfile.TemporaryDirectory(prefix="fedkit-sf-") as tmp:
            local = Path(tmp) / "data.parquet"
            pq.write_table(data, local)
            self.execute(f"PUT 'file://{local.as_posix()}' {stage} AUTO_COMPRESS = FALSE OVERWRITE = TRUE")
        self._replace_table(desired, load_name, [(p, kind) for p, (_, kind) in zip(placeholders, columns)])
        try:
            result = self.execute(
                f"COPY INTO {load} FROM {stage} FILE_FORMAT = (TYPE = PARQUET) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE"
            )
            with _serialised():
                self._replace_table(desired, table.name, columns)
                self.execute(f"INSERT INTO {fq} SELECT * FROM {load}")
        finally:
            self.execute(f"DROP TABLE IF EXISTS {load}")
        return sum(int(r.get("rows_loaded") or 0) for r in result)

    # -- KPI views: fakesnow runs CREATE VIEW natively; SHOW VIEWS there echoes DuckDB's text and no comment, so
    # -- the Snowflake query and comment are recorded in the emulation registry (validated with sqlglot) ----------
    view_note = "sandbox: fakesnow creates the view; its Snowflake text and comment are recorded alongside"

    def observe_views(self, container: tuple[str, ...]) -> dict[str, "ObservedView"]:
        from toolkit.registration.view_plan import ObservedView

        database, schema = container
        if not self._schema_exists(database, schema):
            return {}
        prefix = ".".join(sf_resolved(part) for part in (database, schema)) + "."
        existing = {r["name"] for r in self.execute(f"SHOW VIEWS IN SCHEMA {sf_ident(database)}.{sf_ident(schema)}")}
        result = {}
        for key, props in self._lookup("view").items():
            name = key[len(prefix):] if key.startswith(prefix) else None
            if name is not None and name in existing:
                result[name] = ObservedView(name, props["query"], props["comment"])
        return result

    def create_view(self, view: "DesiredView") -> None:
        check_snowflake(view.ddl)
        self.execute(view.ddl)
        key = ".".join(sf_resolved(part) for part in (*view.container, view.name))
        self._record("view", key, view.ddl, {"query": view.query, "comment": view.comment})

    def drop_view(self, container: tuple[str, ...], name: str, sql: str) -> None:
        check_snowflake(sql)
        self.execute(sql)
        self._registry()
        key = ".".join(sf_resolved(part) for part in (*container, name))
        self.execute(f"DELETE FROM {_REGISTRY} WHERE KIND = %s AND NAME = %s", ("view", key))


def _stage_fault(desired: "SnowflakeDesired", table: "SnowflakeTableSpec") -> None:
    from toolkit.engines.sandbox_faults import propagation_fault

    propagation_fault(f"Snowflake: CREATE EXTERNAL TABLE {table.name}: 091003 (22000): Failure using stage area. "
                      "Cause: [Access Denied (Status Code: 403; Error Code: AccessDenied)]")


def _serialised() -> ContextManager[None]:
    """Multi-statement writes to the sandbox's fakesnow, one process at a time. The server belongs to this
    FEDKIT_HOME (sandbox.json), so a lock file there covers every writer; the project's apply lock already
    serialises applies, this also covers anything else that loads (and a second project sharing the home)."""
    from toolkit.fsutil import file_lock
    from toolkit.sandbox.state import fedkit_home

    return file_lock(fedkit_home() / "snowflake_sandbox")


def _option_value(value: str) -> str:
    """A file format option's value as DDL: a bare word (TRUE, AUTO, PARQUET) as is, anything else a string literal."""
    from toolkit.sql.ddl import sf_string

    return value if value.replace("_", "").isalnum() else sf_string(value)


def _column_list(columns: list[tuple[str, str]]) -> str:
    """`"Name" TYPE, …` for a CREATE TABLE (names quoted by sf_ident, types from the type map)."""
    return ", ".join(f"{sf_ident(name)} {kind}" for name, kind in columns)
