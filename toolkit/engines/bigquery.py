"""BigQuery Omni through google-cloud-bigquery (datasets, DDL, queries, dry runs) and
google-cloud-bigquery-connection (the AWS connection and its Google identity).

Credentials: Google's Application Default Credentials (`gcloud auth application-default login`, a service account
key in GOOGLE_APPLICATION_CREDENTIALS, or the metadata server). Project and location come from the config; every
job runs in the Omni location. Results are read over the REST API: Omni has no Storage Read API.
Tests pass `credentials`/`client_options` to point the real clients at a local HTTP server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from toolkit.errors import CloudError, MissingCredentials, UsageError
from toolkit.registration.observed import BigQueryDefinition, ObservedBigQuery, ObservedConnection

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.config import LoadedConfig
    from toolkit.registration.desired import BigQueryDesired, BigQueryTableSpec
    from toolkit.registration.orphans import ObservedTable
    from toolkit.registration.view_plan import DesiredView, ObservedView


def quota_project(credentials: Any, config_project: str) -> str | None:
    """The project the Connection API counts quota against (`x-goog-user-project`), None to let Google decide.

    ADC's own quota project (`gcloud auth application-default set-quota-project`, or GOOGLE_CLOUD_QUOTA_PROJECT,
    which google-auth applies) wins. User credentials have no project of their own and the Connection API refuses
    them without one, so the config's project is used; service accounts and other principals bill their own project
    ("Set the quota project", https://cloud.google.com/docs/quotas/set-quota-project), which needs no extra permission.
    """
    own = getattr(credentials, "quota_project_id", None)
    if own:
        return str(own)
    from google.oauth2.credentials import Credentials as UserCredentials

    return config_project if isinstance(credentials, UserCredentials) else None


def _message(exc: BaseException) -> str:
    cause = getattr(exc, "cause", None)  # a RetryError: the last error, not "Deadline of 600s exceeded" alone
    if cause is not None:
        return f"{_message(cause)} (retried for {getattr(exc, 'message', '') or 'the retry deadline'})"
    text = getattr(exc, "message", None) or str(exc)
    return str(text).strip().splitlines()[0] if str(text).strip() else type(exc).__name__


def google_limits(environ: dict[str, str] | None = None) -> tuple[float, float, float]:
    """(per-request timeout, retry deadline, query job wait), seconds, from `FEDKIT_GOOGLE_TIMEOUT` (default 60),
    `FEDKIT_GOOGLE_RETRY_DEADLINE` (600, the library's own) and `FEDKIT_GOOGLE_JOB_TIMEOUT` (21600: Omni queries
    can run 6 h). The client libraries default to no request timeout at all, so a silent endpoint hangs forever:
    https://cloud.google.com/python/docs/reference/bigquery/latest/google.cloud.bigquery.client.Client#google_cloud_bigquery_client_Client_query
    """
    import os

    from toolkit.limits import env_number

    env = os.environ if environ is None else environ
    return (env_number("FEDKIT_GOOGLE_TIMEOUT", 60, 0.1, 3600, env),
            env_number("FEDKIT_GOOGLE_RETRY_DEADLINE", 600, 0.1, 86400, env),
            env_number("FEDKIT_GOOGLE_JOB_TIMEOUT", 21600, 1, 7 * 86400, env))


def _errors() -> tuple[type[BaseException], ...]:
    """What a Google call raises when it fails: API errors, retries given up, transport errors, a job wait over."""
    import concurrent.futures

    import requests
    from google.api_core.exceptions import GoogleAPIError
    from google.auth.exceptions import TransportError

    return (GoogleAPIError, requests.exceptions.RequestException, TransportError, concurrent.futures.TimeoutError)


class BigQueryCloudEngine:
    name: ClassVar[str] = "bigquery"
    dialect: ClassVar[str] = "bigquery"
    can_run: ClassVar[bool] = True
    can_dry_run: ClassVar[bool] = True
    can_register: ClassVar[bool] = True
    mode = "cloud"

    def __init__(
        self,
        loaded: "LoadedConfig",
        *,
        credentials: Any = None,
        client_options: dict[str, Any] | None = None,
        connection_client_options: dict[str, Any] | None = None,
    ):
        if loaded.config.bigquery is None:
            raise UsageError(f"{loaded.path}: bigquery: section is missing (project, location, dataset)")
        self.loaded = loaded
        self.config = loaded.config.bigquery
        self._credentials = credentials
        self._client_options = client_options
        self._connection_client_options = connection_client_options or client_options
        self._client: Any = None
        self._connections: Any = None
        self._timeout, self._deadline, self._job_timeout = google_limits()

    def _bounded(self) -> dict[str, Any]:
        """timeout= and retry= for one BigQuery API call: never unbounded."""
        from google.cloud.bigquery.retry import DEFAULT_RETRY

        return {"timeout": self._timeout, "retry": DEFAULT_RETRY.with_deadline(self._deadline)}

    def _bounded_rpc(self) -> dict[str, Any]:
        """timeout= and retry= for one Connection API call (gapic: transient errors retried until the deadline)."""
        from google.api_core import exceptions, retry

        transient = retry.if_exception_type(exceptions.ServiceUnavailable, exceptions.TooManyRequests,
                                            exceptions.InternalServerError)
        return {"timeout": self._timeout, "retry": retry.Retry(predicate=transient, deadline=self._deadline)}

    # -- clients --------------------------------------------------------------------------------------------------
    def _adc(self) -> Any:
        if self._credentials is not None:
            return self._credentials
        import google.auth
        from google.auth.exceptions import DefaultCredentialsError

        try:
            credentials, _ = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
        except DefaultCredentialsError:
            raise MissingCredentials(
                "no Google credentials: run `gcloud auth application-default login` or set "
                "GOOGLE_APPLICATION_CREDENTIALS (or use the sandbox: `fedkit sandbox up`)"
            )
        self._credentials = credentials
        return credentials

    @property
    def client(self) -> Any:
        if self._client is None:
            from google.cloud import bigquery

            self._client = bigquery.Client(
                project=self.config.project,
                location=self.config.location,
                credentials=self._adc(),
                client_options=self._client_options,
            )
        return self._client

    @property
    def connections(self) -> Any:
        if self._connections is None:
            from google.api_core import client_options as client_options_lib
            from google.cloud import bigquery_connection_v1

            credentials = self._adc()
            options = self._connection_client_options
            if not isinstance(options, client_options_lib.ClientOptions):
                options = client_options_lib.from_dict(dict(options or {}))
            quota = quota_project(credentials, self.config.project)
            if quota:
                options.quota_project_id = options.quota_project_id or quota
                # ClientOptions.quota_project_id only reaches credentials the client finds itself (google.auth.default);
                # fedkit passes its own, so they carry the quota project too.
                if getattr(credentials, "quota_project_id", None) != options.quota_project_id:
                    credentials = credentials.with_quota_project(options.quota_project_id)
            self._connections = bigquery_connection_v1.ConnectionServiceClient(
                credentials=credentials, transport="rest", client_options=options
            )
        return self._connections

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- Engine protocol ------------------------------------------------------------------------------------------
    def _query(self, sql: str, dry_run: bool = False) -> Any:
        from google.cloud import bigquery

        config = bigquery.QueryJobConfig(dry_run=dry_run, use_query_cache=not dry_run)
        try:
            # job_retry=None: the library's job-level retry would wrap the insert in its own 10-minute retry loop,
            # past our deadline; a failed job is retried by rerunning the command instead (every step is idempotent).
            job = self.client.query(sql, job_config=config, location=self.config.location, job_retry=None,
                                    **self._bounded())
            if not dry_run:
                job.result(timeout=self._job_timeout, retry=self._bounded()["retry"])
            return job
        except _errors() as exc:
            head = sql.strip().splitlines()[0][:120] if sql.strip() else ""
            raise CloudError(f"BigQuery: {head}: {_message(exc)}")

    def run(self, sql: str) -> "pa.Table":
        job = self._query(sql)
        try:
            return job.result(timeout=self._job_timeout).to_arrow(create_bqstorage_client=False)
        except _errors() as exc:
            raise CloudError(f"BigQuery: reading results: {_message(exc)}")

    def dry_run(self, sql: str) -> int | None:
        job = self._query(sql, dry_run=True)
        return job.total_bytes_processed

    def execute(self, sql: str) -> None:
        """Run DDL as a query job in the Omni location and wait for it."""
        self._query(sql)

    # -- observe --------------------------------------------------------------------------------------------------
    def observe(self, desired: "BigQueryDesired") -> ObservedBigQuery:
        tables, definitions = self._read_tables(desired.dataset)
        return ObservedBigQuery(
            dataset_location=self.dataset_location(desired.dataset),
            connection=self.get_connection(desired.location, desired.connection_id),
            tables=tables,
            definitions=definitions,
        )

    def dataset_location(self, dataset: str) -> str | None:
        from google.api_core.exceptions import NotFound

        try:
            return self.client.get_dataset(f"{self.config.project}.{dataset}", **self._bounded()).location
        except NotFound:
            return None
        except _errors() as exc:
            raise CloudError(f"BigQuery: read dataset {dataset}: {_message(exc)}")

    def observe_tables(self, dataset: str) -> dict[str, tuple[tuple[str, str], ...]]:
        return self._read_tables(dataset)[0]

    def _read_tables(self, dataset: str) -> tuple[dict[str, Any], dict[str, BigQueryDefinition]]:
        """Each table's columns and, for an external table, the files it reads: `tables.get`'s
        `externalDataConfiguration.sourceUris` and `hivePartitioningOptions.sourceUriPrefix`
        (https://cloud.google.com/bigquery/docs/reference/rest/v2/tables#ExternalDataConfiguration)."""
        from google.api_core.exceptions import NotFound

        result: dict[str, tuple[tuple[str, str], ...]] = {}
        definitions: dict[str, BigQueryDefinition] = {}
        try:
            for item in self.client.list_tables(f"{self.config.project}.{dataset}", **self._bounded()):
                table = self.client.get_table(item.reference, **self._bounded())
                result[table.table_id] = tuple(_field_type(f) for f in table.schema)
                external = table.external_data_configuration
                if external is not None and external.source_uris:
                    hive = external.hive_partitioning
                    definitions[table.table_id] = BigQueryDefinition(
                        tuple(external.source_uris), (hive.source_uri_prefix or None) if hive is not None else None)
        except NotFound:
            return {}, {}
        except _errors() as exc:
            raise CloudError(f"BigQuery: list tables of {dataset}: {_message(exc)}")
        return result, definitions

    def get_connection(self, location: str, connection_id: str) -> ObservedConnection | None:
        from google.api_core.exceptions import NotFound

        name = f"projects/{self.config.project}/locations/{location}/connections/{connection_id}"
        try:
            connection = self.connections.get_connection(name=name, **self._bounded_rpc())
        except NotFound:
            return None
        except _errors() as exc:
            raise CloudError(f"BigQuery: read connection {location}.{connection_id}: {_message(exc)}")
        role = connection.aws.access_role
        return ObservedConnection(iam_role_id=role.iam_role_id, identity=role.identity or None)

    # -- registration steps ---------------------------------------------------------------------------------------
    def create_connection(self, location: str, connection_id: str, role_arn: str) -> ObservedConnection:
        from google.api_core.exceptions import AlreadyExists
        from google.cloud import bigquery_connection_v1 as bqc

        connection = bqc.Connection(aws=bqc.AwsProperties(access_role=bqc.AwsAccessRole(iam_role_id=role_arn)))
        try:
            created = self.connections.create_connection(
                parent=f"projects/{self.config.project}/locations/{location}",
                connection_id=connection_id,
                connection=connection,
                **self._bounded_rpc(),
            )
        except AlreadyExists:
            existing = self.get_connection(location, connection_id)
            assert existing is not None
            return existing
        except _errors() as exc:
            raise CloudError(f"BigQuery: create connection {location}.{connection_id}: {_message(exc)}")
        role = created.aws.access_role
        return ObservedConnection(iam_role_id=role.iam_role_id, identity=role.identity or None)

    def update_connection(self, location: str, connection_id: str, role_arn: str) -> None:
        from google.cloud import bigquery_connection_v1 as bqc
        from google.protobuf import field_mask_pb2

        name = f"projects/{self.config.project}/locations/{location}/connections/{connection_id}"
        connection = bqc.Connection(aws=bqc.AwsProperties(access_role=bqc.AwsAccessRole(iam_role_id=role_arn)))
        try:
            self.connections.update_connection(
                name=name, connection=connection, update_mask=field_mask_pb2.FieldMask(paths=["aws.access_role.iam_role_id"]),
                **self._bounded_rpc(),
            )
        except _errors() as exc:
            raise CloudError(f"BigQuery: update connection {location}.{connection_id}: {_message(exc)}")

    def create_dataset(self, sql: str, dataset: str) -> None:
        self.execute(sql)

    def create_table(self, sql: str, desired: "BigQueryDesired", table: "BigQueryTableSpec", replace: bool = False) -> None:
        self.execute(sql)

    # -- orphans (toolkit.registration.orphans) -------------------------------------------------------------------
    def observe_table_markers(self, dataset: str) -> list["ObservedTable"]:
        """External tables in the dataset with their labels and description (fedkit's marker). Only a table
        carrying the `managed-by: fedkit` label (in the list answer) is read for its description."""
        from google.api_core.exceptions import NotFound

        from toolkit.registration.orphans import ObservedTable

        result = []
        try:
            for item in self.client.list_tables(f"{self.config.project}.{dataset}", **self._bounded()):
                labels = tuple(sorted((item.labels or {}).items()))
                if str(item.table_type).upper() != "EXTERNAL" or ("managed-by", "fedkit") not in labels:
                    continue
                table = self.client.get_table(item.reference, **self._bounded())
                result.append(ObservedTable(table.table_id, table.description or "", labels))
        except NotFound:
            return []
        except _errors() as exc:
            raise CloudError(f"BigQuery: list tables of {dataset}: {_message(exc)}")
        return result

    def drop_table(self, sql: str, dataset: str, name: str) -> None:
        """`DROP EXTERNAL TABLE IF EXISTS` of an orphan fedkit made (its marker was checked by the plan)."""
        self.execute(sql)

    # -- KPI views (toolkit.registration.views) -------------------------------------------------------------------
    def observe_views(self, container: tuple[str, ...]) -> dict[str, "ObservedView"]:
        """Views in (project, dataset): name -> query text and description (fedkit's marker lives there)."""
        from google.api_core.exceptions import NotFound

        from toolkit.registration.view_plan import ObservedView

        project, dataset = container
        result: dict[str, ObservedView] = {}
        try:
            for item in self.client.list_tables(f"{project}.{dataset}", **self._bounded()):
                if str(item.table_type).upper() != "VIEW":
                    continue
                table = self.client.get_table(item.reference, **self._bounded())
                result[table.table_id] = ObservedView(table.table_id, table.view_query, table.description or "")
        except NotFound:
            return {}
        except _errors() as exc:
            raise CloudError(f"BigQuery: list views of {dataset}: {_message(exc)}")
        return result

    def create_view(self, view: "DesiredView") -> None:
        self.execute(view.ddl)

    def drop_view(self, container: tuple[str, ...], name: str, sql: str) -> None:
        self.execute(sql)

    # -- handshake ------------------------------------------------------------------------------------------------
    def bigquery_identity(self) -> str | None:
        observed = self.get_connection(self.config.location, self.config.connection_id)
        return observed.identity if observed else None

    def snowflake_identity(self) -> tuple[str, str] | None:
        return None


def _field_type(field: Any) -> tuple[str, str]:
    kind = str(field.field_type).upper()
    if field.mode == "REPEATED":
        kind = f"ARRAY<{kind}>"
    return field.name, kind
