"""The Redshift Spectrum external schema over the Glue database, as a pipeline target (engine_tables phase).

Cloud: observe `svv_external_schemas` and run `sql/ddl/redshift/external_schema.sql.j2` through the Redshift Data API
(ExecuteStatement on the Serverless workgroup or the cluster, DescribeStatement until FINISHED:
docs.aws.amazon.com/redshift/latest/mgmt/data-api.html; SVV_EXTERNAL_SCHEMAS:
docs.aws.amazon.com/redshift/latest/dg/r_SVV_EXTERNAL_SCHEMAS.html). An existing schema over another database or
through another role is drift: IF NOT EXISTS would leave it as it is, so fedkit reports it and changes nothing.
Sandbox: moto's Redshift Data API accepts statements but runs no SQL, so there is nothing to observe or create; the
step is skipped and every plan says so, with the DDL it would run. It never reports the schema as created.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.errors import CheckFailed, CloudError, UsageError
from toolkit.iam import aws_engine_policies as aep
from toolkit.planning.actions import Action

if TYPE_CHECKING:
    from toolkit.config import Config
    from toolkit.planning.pipeline import Context

SANDBOX_SKIPPED = ("skipped on the sandbox: moto's Redshift Data API runs no SQL, so the schema is neither read nor "
                   "created")


@dataclass(frozen=True)
class ObservedSchema:
    exists: bool = False
    database: str | None = None  # the Glue database it reads
    role_arn: str | None = None  # IAM_ROLE from its options
    sandbox: bool = False  # not observed: the sandbox cannot run SQL


def schema_ddl(config: "Config") -> str:
    from toolkit.sql.ddl import render

    return render("redshift", "external_schema", external_schema=config.redshift.external_schema,
                  glue_database=aep.glue_database(config), role_arn=aep.spectrum_role_arn(config),
                  catalog_id=config.glue.catalog_id if config.glue is not None else None)


def observe_sql(config: "Config") -> str:
    from toolkit.sql.ddl import rs_string

    # Unquoted and default-quoted names are stored in lower case (enable_case_sensitive_identifier off).
    return ("SELECT databasename, esoptions FROM svv_external_schemas WHERE schemaname = "
            f"{rs_string(config.redshift.external_schema.lower())}")


def plan_schema(config: "Config", observed: ObservedSchema) -> list[Action]:
    """Pure."""
    name = config.redshift.external_schema
    resource = f"redshift_external_schema/{name}"
    if observed.sandbox:
        return []
    database, role = aep.glue_database(config), aep.spectrum_role_arn(config)
    if not observed.exists:
        ddl = schema_ddl(config)
        return [Action("aws", "create", resource,
                       f"create external schema {name} over Glue database {database} through role {role} "
                       "(Redshift Data API)", diff=ddl, payload={"op": "execute", "Sql": ddl})]
    differs = [f"{what} {have!r} (config: {want!r})" for what, have, want in
               (("database", observed.database, database), ("IAM_ROLE", observed.role_arn, role)) if have != want]
    if not differs:
        return []
    return [Action("aws", "drift", resource,
                   f"external schema {name} reads {', '.join(differs)}: left alone (CREATE ... IF NOT EXISTS does not "
                   f"change it); drop it in Redshift (DROP SCHEMA {name}) and rerun `fedkit apply`",
                   payload={"op": "drift"})]


def _options_role(esoptions: str | None) -> str | None:
    try:
        options = json.loads(esoptions or "{}")
    except ValueError:
        return None
    return options.get("IAM_ROLE") if isinstance(options, dict) else None


class SpectrumSchemaTarget:
    name = "redshift_external_schema"
    phases = ("engine_tables",)
    cloud = "aws"

    def enabled(self, ctx: "Context") -> bool:
        return aep.spectrum_enabled(ctx.config)

    def _sandbox(self) -> bool:
        from toolkit.iam.role_target import sandbox_mode

        return sandbox_mode()

    def _run(self, ctx: "Context", sql: str, step: str) -> str:
        from toolkit.engines.aws_explain import redshift_statement

        client = ctx.client("redshift-data")
        try:
            return redshift_statement(client, sql, ctx.config.redshift, sleep=ctx.sleep, what=step)
        except CheckFailed as exc:
            raise CloudError(exc.message) from exc
        except Exception as exc:  # botocore errors: one line naming the step
            from botocore.exceptions import BotoCoreError, ClientError

            if isinstance(exc, (ClientError, BotoCoreError)):
                from toolkit.iam.aws_errors import to_cloud_error

                raise to_cloud_error(exc, step, "redshift-data") from exc
            raise

    def observe(self, ctx: "Context") -> ObservedSchema:
        if self._sandbox():
            return ObservedSchema(sandbox=True)
        step = f"observe redshift_external_schema/{ctx.config.redshift.external_schema}"
        statement = self._run(ctx, observe_sql(ctx.config), step)
        records = ctx.client("redshift-data").get_statement_result(Id=statement).get("Records", [])
        if not records:
            return ObservedSchema(exists=False)
        database, options = (next(iter(cell.values()), None) for cell in records[0][:2])
        return ObservedSchema(exists=True, database=database, role_arn=_options_role(options))

    def plan(self, ctx: "Context", observed: ObservedSchema) -> list[Action]:
        return plan_schema(ctx.config, observed)

    def warnings(self, ctx: "Context", observed: ObservedSchema) -> list[str]:
        if not observed.sandbox:
            return []
        ddl = " ".join(schema_ddl(ctx.config).split())
        return [f"redshift external schema {ctx.config.redshift.external_schema}: {SANDBOX_SKIPPED}; in the cloud "
                f"apply runs: {ddl}"]

    def apply(self, ctx: "Context", action: Action) -> None:
        op = action.payload["op"]
        if op == "execute":
            self._run(ctx, action.payload["Sql"], f"{action.action} {action.resource}")
        elif op != "drift":
            raise UsageError(f"redshift_external_schema: unknown step {op!r}")
