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


def online_checks(loaded: Any, engines: tuple[str, ...], notes: list[str]) -> dict[str, Callable[[str], None]]:
    """{engine: explain(sql)} for the configured Athena / Redshift among `engines` when AWS credentials exist; a
    note says why an engine is skipped (never anything about the credentials themselves)."""
    config = loaded.config
    wanted = [e for e in ("athena", "redshift") if e in engines and getattr(config, e, None) is not None]
    if not wanted:
        return {}
    import boto3

    if boto3.session.Session().get_credentials() is None:
        notes.extend(f"{e.title()} EXPLAIN skipped: no AWS credentials (environment, ~/.aws or an instance role)"
                     for e in wanted)
        return {}
    from toolkit.aws import aws_client

    region = config.aws.region if config.aws is not None else None
    checks: dict[str, Callable[[str], None]] = {}
    if "athena" in wanted:
        athena_client = aws_client("athena", region)
        glue = getattr(config, "glue", None)
        database = config.athena.database or (glue.database if glue is not None else None)
        checks["athena"] = lambda sql: athena_explain(athena_client, sql, config.athena, database)
    if "redshift" in wanted:
        data_client = aws_client("redshift-data", region)
        checks["redshift"] = lambda sql: redshift_explain(data_client, sql, config.redshift)
    return checks
