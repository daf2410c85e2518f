"""Online checks (`--online`), only when credentials exist: BigQuery dry runs and Snowflake EXPLAIN.

BigQuery: a `dry_run=True` query job validates against the real tables and reports a lower bound of the bytes it
would scan (google-cloud-bigquery, Application Default Credentials; over external tables that bound is often 0 B). Snowflake: `EXPLAIN` on the connection from
connections.toml. Without credentials each is skipped with a note saying why; nothing is ever printed about
the credentials themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.sql.validate.model import OK, Result, error

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig


def bigquery_client(loaded: "LoadedConfig") -> tuple[Any | None, str | None]:
    """(client, None) when Google ADC are available, else (None, why it is skipped)."""
    try:
        import google.auth
        from google.auth.exceptions import DefaultCredentialsError
    except ImportError:  # pragma: no cover - google-cloud-bigquery is a dependency
        return None, "BigQuery dry run skipped: google-auth is not installed"
    try:
        credentials, _ = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
    except DefaultCredentialsError:
        return None, ("BigQuery dry run skipped: no Google credentials "
                      "(run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS)")
    from google.cloud import bigquery

    assert loaded.config.bigquery is not None
    return bigquery.Client(project=loaded.config.bigquery.project, credentials=credentials), None


def bigquery_dry_run(client: Any, sql: str, location: str | None) -> int:
    """Bytes BigQuery would process for `sql` (a dry run: nothing runs, nothing is billed)."""
    from google.cloud import bigquery
    from google.cloud.bigquery.retry import DEFAULT_RETRY

    from toolkit.engines.bigquery import google_limits

    timeout, deadline, _ = google_limits()  # the library has no request timeout by default: a silent endpoint hangs
    config = bigquery.QueryJobConfig(dry_run=True, use_query_cache=False)
    job = client.query(sql, job_config=config, location=location, timeout=timeout,
                       retry=DEFAULT_RETRY.with_deadline(deadline), job_retry=None)
    return int(job.total_bytes_processed or 0)


def snowflake_connection(loaded: "LoadedConfig") -> tuple[Any | None, str | None]:
    """(connection, None) when connections.toml has the configured connection, else (None, why skipped)."""
    from toolkit.engines.snowflake_connect import connect, connect_kwargs, with_utc
    from toolkit.errors import FedkitError

    try:
        kwargs = connect_kwargs(loaded)
    except FedkitError as exc:
        return None, f"Snowflake EXPLAIN skipped: {exc.message}"
    try:
        return connect(with_utc(kwargs)), None
    except FedkitError as exc:
        return None, f"Snowflake EXPLAIN skipped: {exc.message}"


def dry_run_message(scanned: int) -> str:
    """What a dry run over fedkit's tables tells: the query is valid, and a lower bound of the bytes, not the cost.

    Every gold table fedkit registers is a BigLake/Omni external table, and "a dry run of a federated query that uses
    an external table might report a lower bound of 0 bytes of data, even if rows are returned" (BigQuery docs:
    "Introduction to external tables", Limitations; "Run a query", Dry run).
    """
    return (f"dry run ok: at least {human_bytes(scanned)} (a lower bound: BigQuery cannot size a scan of external "
            "tables before it runs, so the cost is known only afterwards)")


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{count} B"  # pragma: no cover


class BigQueryDryRun:
    """A dry-run query job per compiled KPI (the bytes it reports are a lower bound over external tables)."""

    def __init__(self, client: Any, location: str | None):
        self.client, self.location = client, location

    def check(self, file: str, sql: str) -> Result:
        try:
            scanned = bigquery_dry_run(self.client, sql, self.location)
        except Exception as exc:  # noqa: BLE001 - google.api_core raises many types; the message is what counts
            return error(file, "bigquery-online", f"dry run: {_first_line(exc)}")
        return Result(file, "bigquery-online", OK, message=dry_run_message(scanned))

    def close(self) -> None:
        """The client holds no connection to close."""


class SnowflakeExplain:
    """`EXPLAIN` of each compiled KPI on the connection from connections.toml."""

    def __init__(self, conn: Any):
        self.conn = conn

    def check(self, file: str, sql: str) -> Result:
        try:
            self.conn.cursor().execute("EXPLAIN " + sql.rstrip().rstrip(";"))
        except Exception as exc:  # noqa: BLE001 - connector errors
            return error(file, "snowflake-online", f"EXPLAIN: {_first_line(exc)}")
        return Result(file, "snowflake-online", OK, message="EXPLAIN ok")

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001
            pass


def bigquery_online(loaded: "LoadedConfig") -> tuple[BigQueryDryRun | None, str | None]:
    """(checker, None), or (None, why it is skipped); (None, None) without a bigquery: section."""
    if loaded.config.bigquery is None:
        return None, None
    client, note = bigquery_client(loaded)
    return (BigQueryDryRun(client, loaded.config.bigquery.location) if client is not None else None), note


def snowflake_online(loaded: "LoadedConfig") -> tuple[SnowflakeExplain | None, str | None]:
    """(checker, None), or (None, why it is skipped); (None, None) without a snowflake: section."""
    if loaded.config.snowflake is None:
        return None, None
    conn, note = snowflake_connection(loaded)
    return (SnowflakeExplain(conn) if conn is not None else None), note


class OnlineChecks:
    """Created once per run; `__call__(file, engine, compiled_sql)` returns extra results for passing files.

    Each engine's traits say how it is checked online (`online_checker`); an engine without credentials is a note."""

    def __init__(self, loaded: "LoadedConfig", engines: tuple[str, ...], optional: bool = False):
        from toolkit.engines.registry import traits

        self.loaded = loaded
        self.notes: list[str] = []
        self.checkers: dict[str, Any] = {}
        for engine in engines:
            checker, note = traits(engine).online_checker(loaded)
            if note:
                self.notes.append(note)
            if checker is not None:
                self.checkers[engine] = checker
        if not self.checkers and not optional:
            from toolkit.errors import MissingCredentials

            # `--online` asked for checks against the clouds: none can run, so a green result would claim what was
            # not checked. Exit 2 like every missing credential; --online-optional keeps the offline run.
            why = "; ".join(self.notes) or f"no engine among {', '.join(engines)} has an online check"
            raise MissingCredentials(f"--online: no engine can be checked online ({why}); "
                                     "add --online-optional to validate offline when no credentials exist")

    def __call__(self, file: str, engine: str, sql: str) -> list[Result]:
        checker = self.checkers.get(engine)
        return [] if checker is None else [checker.check(file, sql)]

    def close(self) -> None:
        for checker in self.checkers.values():
            checker.close()


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc)
    text = text.strip()
    return text.splitlines()[0] if text else type(exc).__name__
