"""`kpi run` on the real Athena and Redshift (cloud mode): the compiled SQL runs in the configured workgroup /
through the Redshift Data API, and the rows come back as an Arrow table typed from the engine's column metadata.

Athena GetQueryResults returns every value as text (`VarCharValue`, absent for NULL) with `ColumnInfo.Type`; its
first row of a SELECT is the header (docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html).
Redshift GetStatementResult returns typed fields (`longValue`, `doubleValue`, `stringValue`, `booleanValue`,
`isNull`) with `ColumnMetadata.typeName` (docs.aws.amazon.com/redshift-data/latest/APIReference/
API_GetStatementResult.html). Both are paged with NextToken.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, ClassVar

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.config import LoadedConfig


def _parse_text(kind: str) -> Callable[[str], Any]:
    """Athena's text value -> Python, by the column's Athena (Trino) type name."""
    kind = kind.lower()
    if kind in ("tinyint", "smallint", "integer", "int", "bigint"):
        return int
    if kind in ("double", "float", "real"):
        return float
    if kind.startswith("decimal"):
        return Decimal
    if kind == "boolean":
        return lambda text: text == "true"
    if kind == "date":
        return dt.date.fromisoformat
    if kind.startswith("timestamp"):
        return lambda text: dt.datetime.fromisoformat(text.replace(" UTC", "+00:00"))
    return str


def athena_rows(pages: list[dict[str, Any]]) -> "pa.Table":
    """GetQueryResults pages -> an Arrow table (header row dropped, NULLs kept, values typed by ColumnInfo)."""
    import pyarrow as pa

    columns = pages[0]["ResultSet"]["ResultSetMetadata"]["ColumnInfo"] if pages else []
    parsers = [_parse_text(c["Type"]) for c in columns]
    rows: list[list[Any]] = []
    for index, page in enumerate(pages):
        data = page["ResultSet"]["Rows"]
        for position, row in enumerate(data):
            if index == 0 and position == 0:
                continue  # the header: column names as values
            rows.append([parse(cell["VarCharValue"]) if "VarCharValue" in cell else None
                         for parse, cell in zip(parsers, row["Data"])])
    return pa.table({c["Name"]: [row[i] for row in rows] for i, c in enumerate(columns)})


def redshift_rows(pages: list[dict[str, Any]]) -> "pa.Table":
    """GetStatementResult pages -> an Arrow table (typed fields; numeric/decimal text becomes Decimal)."""
    import pyarrow as pa

    columns = pages[0].get("ColumnMetadata", []) if pages else []
    rows: list[list[Any]] = []
    for page in pages:
        for record in page.get("Records", []):
            row = []
            for meta, field in zip(columns, record):
                if field.get("isNull"):
                    row.append(None)
                elif "stringValue" in field and meta.get("typeName", "").lower() in ("numeric", "decimal"):
                    row.append(Decimal(field["stringValue"]))
                elif "stringValue" in field and meta.get("typeName", "").lower() == "date":
                    row.append(dt.date.fromisoformat(field["stringValue"]))
                else:
                    row.append(next(iter(v for k, v in field.items() if k != "isNull")))
            rows.append(row)
    return pa.table({c["name"]: [row[i] for row in rows] for i, c in enumerate(columns)})


class _AwsCloudEngine:
    name: ClassVar[str]
    dialect: ClassVar[str]
    service: ClassVar[str]
    can_run: ClassVar[bool] = True
    can_dry_run: ClassVar[bool] = True
    can_register: ClassVar[bool] = False

    def __init__(self, loaded: "LoadedConfig"):
        from toolkit.aws import aws_client

        self.mode = "cloud"
        self.loaded = loaded
        config = loaded.config
        self.client = aws_client(self.service, config.aws.region if config.aws is not None else None)

    def close(self) -> None:
        pass


class AthenaCloudEngine(_AwsCloudEngine):
    name: ClassVar[str] = "athena"
    dialect: ClassVar[str] = "athena"
    service: ClassVar[str] = "athena"

    def _database(self) -> str | None:
        config = self.loaded.config
        glue = getattr(config, "glue", None)
        return config.athena.database or (glue.database if glue is not None else None)

    def run(self, sql: str) -> "pa.Table":
        from toolkit.engines.aws_explain import athena_statement

        query_id = athena_statement(self.client, sql.strip().rstrip(";"), self.loaded.config.athena, self._database())
        pages = list(self.client.get_paginator("get_query_results").paginate(QueryExecutionId=query_id))
        return athena_rows(pages)

    def dry_run(self, sql: str) -> int | None:
        from toolkit.engines.aws_explain import athena_explain

        athena_explain(self.client, sql, self.loaded.config.athena, self._database())
        return None


class RedshiftCloudEngine(_AwsCloudEngine):
    name: ClassVar[str] = "redshift"
    dialect: ClassVar[str] = "redshift"
    service: ClassVar[str] = "redshift-data"

    def run(self, sql: str) -> "pa.Table":
        from toolkit.engines.aws_explain import redshift_statement

        statement_id = redshift_statement(self.client, sql.strip().rstrip(";"), self.loaded.config.redshift)
        pages = list(self.client.get_paginator("get_statement_result").paginate(Id=statement_id))
        return redshift_rows(pages)

    def dry_run(self, sql: str) -> int | None:
        from toolkit.engines.aws_explain import redshift_explain

        redshift_explain(self.client, sql, self.loaded.config.redshift)
        return None
