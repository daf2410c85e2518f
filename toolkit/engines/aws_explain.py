"""Online checks for Athena and Redshift: `EXPLAIN <query>` run by the engine itself, nothing scanned.

Athena: StartQueryExecution in the configured workgroup (results location when the workgroup does not enforce its
own), then GetQueryExecution until the state is final (docs.aws.amazon.com/athena/latest/APIReference/
API_StartQueryExecution.html; "Using EXPLAIN and EXPLAIN ANALYZE in Athena": EXPLAIN shows the plan without running
the query). Redshift: the Data API's ExecuteStatement on a Serverless workgroup or a provisioned cluster, then
DescribeStatement until FINISHED / FAILED / ABORTED (docs.aws.amazon.com/redshift-data/latest/APIReference/
API_ExecuteStatement.html, API_DescribeStatement.html). A failure raises CheckFailed with the engine's reason.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable

from toolkit.errors import CheckFailed

if TYPE_CHECKING:
    from toolkit.config_query_engines import AthenaConfig, RedshiftConfig

POLL_SECONDS = 0.5
EXPLAIN_TIMEOUT = 120.0


def _explain(sql: str) -> str:
    return "EXPLAIN " + sql.strip().rstrip(";")


def athena_explain(client: Any, sql: str, athena: "AthenaConfig", database: str | None = None,
                   sleep: Callable[[float], None] = time.sleep, timeout: float = EXPLAIN_TIMEOUT) -> None:
    """EXPLAIN `sql` on Athena; returns when Athena accepted it, raises CheckFailed with Athena's reason."""
    athena_statement(client, _explain(sql), athena, database, sleep, timeout, what="Athena EXPLAIN")


def athena_statement(client: Any, text: str, athena: "AthenaConfig", database: str | None = None,
                     sleep: Callable[[float], None] = time.sleep, timeout: float = EXPLAIN_TIMEOUT,
                     what: str = "Athena query") -> str:
    """Run `text` in the workgroup until it succeeds; its query execution id. CheckFailed with Athena's reason."""
    request: dict[str, Any] = {"QueryString": text, "WorkGroup": athena.workgroup}
    if athena.output_location:
        request["ResultConfiguration"] = {"OutputLocation": athena.output_location}
    if database:
        request["QueryExecutionContext"] = {"Catalog": "AwsDataCatalog", "Database": database}
    query_id = client.start_query_execution(**request)["QueryExecutionId"]
    waited = 0.0
    while True:
        status = client.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]["Status"]
        state = status["State"]
        if state == "SUCCEEDED":
            return query_id
        if state in ("FAILED", "CANCELLED"):
            reason = status.get("AthenaError", {}).get("ErrorMessage") or status.get("StateChangeReason") or state
            raise CheckFailed(f"{what} {state.lower()}: {reason.strip().splitlines()[0]}")
        if waited >= timeout:
            client.stop_query_execution(QueryExecutionId=query_id)
            raise CheckFailed(f"{what} did not finish within {timeout:.0f} s (stopped query {query_id})")
        sleep(POLL_SECONDS)
        waited += POLL_SECONDS


def redshift_explain(client: Any, sql: str, redshift: "RedshiftConfig",
                     sleep: Callable[[float], None] = time.sleep, timeout: float = EXPLAIN_TIMEOUT) -> None:
    """EXPLAIN `sql` through the Redshift Data API; raises CheckFailed with Redshift's error."""
    redshift_statement(client, _explain(sql), redshift, sleep, timeout, what="Redshift EXPLAIN")


def redshift_statement(client: Any, text: str, redshift: "RedshiftConfig",
                       sleep: Callable[[float], None] = time.sleep, timeout: float = EXPLAIN_TIMEOUT,
                       what: str = "Redshift query") -> str:
    """Run `text` through the Data API until FINISHED; its statement id. CheckFailed with Redshift's error."""
    request: dict[str, Any] = {"Sql": text, "Database": redshift.database}
    if redshift.workgroup:
        request["WorkgroupName"] = redshift.workgroup
    else:
        request["ClusterIdentifier"] = redshift.cluster_identifier
    if redshift.secret_arn:
        request["SecretArn"] = redshift.secret_arn
    elif redshift.db_user:
        request["DbUser"] = redshift.db_user
    statement_id = client.execute_statement(**request)["Id"]
    waited = 0.0
    while True:
        described = client.describe_statement(Id=statement_id)
        status = described["Status"]
        if status == "FINISHED":
            return statement_id
        if status in ("FAILED", "ABORTED"):
            reason = (described.get("Error") or status).strip().splitlines()[0]
            raise CheckFailed(f"{what} {status.lower()}: {reason}")
        if waited >= timeout:
            client.cancel_statement(Id=statement_id)
            raise CheckFailed(f"{what} did not finish within {timeout:.0f} s (cancelled {statement_id})")
        sleep(POLL_SECONDS)
        waited += POLL_SECONDS


class AwsExplain:
    """`validate --online` for Athena or Redshift: `check(file, sql)` runs the engine's EXPLAIN, one Result."""

    def __init__(self, engine: str, explain: Callable[[str], None]):
        self.engine = engine
        self._explain = explain

    def check(self, file: str, sql: str) -> Any:
        from toolkit.sql.validate.model import OK, Result, error

        try:
            self._explain(sql)
        except CheckFailed as exc:
            return error(file, f"{self.engine}-online", exc.message)
        except Exception as exc:  # noqa: BLE001 - botocore raises many types; the message is what counts
            text = str(exc).strip()
            first = text.splitlines()[0] if text else type(exc).__name__
            return error(file, f"{self.engine}-online", f"EXPLAIN: {first}")
        return Result(file, f"{self.engine}-online", OK, message="EXPLAIN ok")

    def close(self) -> None:
        pass


def _credentials_note(title: str) -> str | None:
    import boto3

    if boto3.session.Session().get_credentials() is None:
        return f"{title} EXPLAIN skipped: no AWS credentials (environment, ~/.aws or an instance role)"
    return None


def athena_online(loaded: Any) -> tuple[AwsExplain | None, str | None]:
    """(checker, None), or (None, why skipped); (None, None) without an athena: section."""
    config = loaded.config
    if config.athena is None:
        return None, None
    note = _credentials_note("Athena")
    if note:
        return None, note
    from toolkit.aws import aws_client

    client = aws_client("athena", config.aws.region if config.aws is not None else None)
    glue = getattr(config, "glue", None)
    database = config.athena.database or (glue.database if glue is not None else None)
    return AwsExplain("athena", lambda sql: athena_explain(client, sql, config.athena, database)), None


def redshift_online(loaded: Any) -> tuple[AwsExplain | None, str | None]:
    """(checker, None), or (None, why skipped); (None, None) without a redshift: section."""
    config = loaded.config
    if config.redshift is None:
        return None, None
    note = _credentials_note("Redshift")
    if note:
        return None, note
    from toolkit.aws import aws_client

    client = aws_client("redshift-data", config.aws.region if config.aws is not None else None)
    return AwsExplain("redshift", lambda sql: redshift_explain(client, sql, config.redshift)), None
