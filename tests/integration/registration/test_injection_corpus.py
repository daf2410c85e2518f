"""The injection corpus: hostile Parquet column names and table folder names, through the whole registration path.

For every name fedkit accepts, the registration DDL rendered by `render_all` is one statement whose names are exactly
the intended ones: Snowflake's is parsed by sqlglot and run on the sandbox's Snowflake (fakesnow, through the sandbox
adapter, which materialises the external table), BigQuery's is parsed by ZetaSQL (BigQuery's own front end) as a
single statement; the IAM read policy and every S3 URI keep their resources exact. Names fedkit refuses are refused
when the gold layer is read, with one line naming them, and `plan`/`apply` then change nothing.
"""

from __future__ import annotations

import uuid

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlglot
from sqlglot import exp

from toolkit.errors import UsageError

# label -> Parquet column name. All of these are valid Snowflake names once quoted; BigQuery external tables take only
# the classic ones (no flexible column names).
COLUMNS = {
    "single quote": "it's",
    "double quotes inside": 'say "hi"',
    "double quotes around": '"q"',
    "backtick": "a`b",
    "semicolon": "a; DROP TABLE t",
    "comment close": "a*/b",
    "comment open": "a /* b",
    "line comment": "a -- b",
    "backslash": "a\\b",
    "quote and backslash": "it's \\ \"x\"",
    "policy variable": "${aws:username}",
    "jinja": "{{ x }}",
    "unicode": "Straße_名前",
    "equals": "a=b",
    "slash": "a/b",
    "dollar": "a$b",
    "reserved word": "select",
    "mixed case": "MixedCase",
}
# label -> table folder name accepted for Snowflake (BigQuery refuses most of them: its table names are letters,
# digits, '_', '-' and spaces).
FOLDERS = {
    "single quote": "it's",
    "semicolon": "t; DROP TABLE x",
    "dash dash": "t -- x",
    "double quotes": '"t"',
    "backtick": "t`x",
    "equals": "t=x",
    "dollar": "t$x",
    "unicode": "Straße",
    "space": "Odd Table",
}

SNOWFLAKE_CONFIG = """\
version: 1
gold:
  bucket: fedkit-corpus-gold
  prefix: gold/
  local_dir: {local}
aws:
  account_id: "123456789012"
  region: us-east-1
  role_name: fedkit-corpus-reader
snowflake:
  database: {database}
  schema: GOLD
  integration: {integration}
  stage: GOLD_STAGE
"""


def _column_values() -> pa.Table:
    data = {"id": pa.array([1, 2], pa.int64())}
    for i, name in enumerate(COLUMNS.values()):
        data[name] = [f"v{i}-a", f"v{i}-b"]
    return pa.table(data)


@pytest.fixture
def corpus_project(aws, fakesnow_kwargs, tmp_path, monkeypatch):
    """Every accepted name as a column of `corpus` and as a table folder, published to moto; Snowflake only."""
    from toolkit.config import load_config
    from toolkit.gold.publish import ensure_bucket, publish

    monkeypatch.setenv("FEDKIT_MODE", "sandbox")
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "home"))
    local = tmp_path / "gold"
    (local / "corpus").mkdir(parents=True)
    pq.write_table(_column_values(), local / "corpus" / "part-00000.parquet")
    for i, folder in enumerate(FOLDERS.values()):
        (local / folder).mkdir()
        pq.write_table(pa.table({"id": pa.array([i], pa.int64())}), local / folder / "part-00000.parquet")
    suffix = uuid.uuid4().hex[:8].upper()
    path = tmp_path / "federation.yaml"
    path.write_text(SNOWFLAKE_CONFIG.format(local=local, database=f"CORPUS_{suffix}", integration=f"INT_{suffix}"))
    loaded = load_config(path)
    ensure_bucket("fedkit-corpus-gold", "us-east-1")
    publish(loaded)
    return loaded


def _register(engine, desired) -> list[str]:
    """Apply the Snowflake plan through the sandbox adapter; the external-table DDL it ran, in order."""
    from toolkit.registration.plan import plan_snowflake_integration, plan_snowflake_objects

    for action in plan_snowflake_integration(desired, engine.observe(desired)):
        engine.create_integration(action.payload["sql"], desired)
    ran = []
    for action in plan_snowflake_objects(desired, engine.observe(desired)):
        op, sql = action.payload["op"], action.payload["sql"]
        if op == "create_stage":
            engine.create_stage(sql, desired)
        elif op == "create_external_table":
            engine.create_external_table(sql, desired, action.payload["spec"])
            ran.append(sql)
        else:
            engine.create_object(sql)
    return ran


def _value_key(expression: exp.Expression) -> str:
    """The Parquet key a virtual column reads (`value:"k"` or `value['k']`), as Snowflake's parser understands it."""
    key = expression.find(exp.JSONPathKey)
    if key is not None:
        return key.this
    bracket = expression.find(exp.Bracket)
    assert bracket is not None and bracket.this.name.lower() == "value", expression.sql()
    return bracket.expressions[0].this


def test_snowflake_registers_every_accepted_name_exactly(corpus_project, fakesnow_kwargs):
    from toolkit.engines.snowflake_sandbox import SnowflakeSandboxEngine
    from toolkit.gold.schema import read_catalog
    from toolkit.registration.desired import desired_snowflake, sf_resolved
    from toolkit.sql.ddl import render_all, sf_ident

    catalog = read_catalog(corpus_project, "s3")
    assert sorted(catalog.names) == sorted(["corpus", *FOLDERS.values()])
    rendered = dict(render_all(corpus_project, catalog)["snowflake"])
    # (a) each external table's DDL is one statement, and its table and column names are exactly the Parquet's.
    for table in catalog.tables:
        statements = [s for s in sqlglot.parse(rendered[f"external_table/{table.name}"], read="snowflake") if s]
        assert len(statements) == 1, table.name
        tree = statements[0]
        assert tree.find(exp.Table).this.this == table.name
        defs = {c.this.this: c for c in tree.find_all(exp.ColumnDef)}
        assert sorted(defs) == sorted(c.name for c in table.columns)
        for name, definition in defs.items():
            assert _value_key(definition.args["constraints"][0]) == name

    desired = desired_snowflake(corpus_project, catalog)
    engine = SnowflakeSandboxEngine(corpus_project, connect_kwargs=fakesnow_kwargs)
    try:
        ran = _register(engine, desired)
        assert sorted(ran) == sorted(rendered[f"external_table/{t.name}"] for t in catalog.tables)
        database = desired.database
        columns = engine.execute(
            f"SELECT table_name, column_name FROM {database}.information_schema.columns WHERE table_schema = 'GOLD'"
        )
        created: dict[str, set[str]] = {}
        for row in columns:
            created.setdefault(row["table_name"], set()).add(row["column_name"])
        expected_columns = {sf_resolved(c.name) for c in catalog.table("corpus").columns}
        assert created[sf_resolved(catalog.table("corpus").name)] == expected_columns
        for folder in FOLDERS.values():
            assert created[sf_resolved(catalog.table(folder).name)] == {"ID"}, folder
        # Every column reads its own values (the `"q"` column used to come back NULL), under the quoted name.
        select = ", ".join(sf_ident(c.name) for c in catalog.table("corpus").columns)
        rows = engine.execute(f"SELECT {select} FROM {database}.GOLD.CORPUS ORDER BY ID")
        assert [list(r.values()) for r in rows] == [[1, *(f"v{i}-a" for i in range(len(COLUMNS)))],
                                                    [2, *(f"v{i}-b" for i in range(len(COLUMNS)))]]
        for i, folder in enumerate(FOLDERS.values()):
            fq = f"{database}.GOLD.{sf_ident(catalog.table(folder).name)}"
            assert [r["id"] for r in engine.execute(f"SELECT id FROM {fq}")] == [i], folder
    finally:
        engine.close()


def test_s3_locations_and_the_read_policy_stay_exact(corpus_project):
    from toolkit.gold.schema import read_catalog
    from toolkit.iam.policies import read_policy
    from toolkit.registration.desired import desired_snowflake, table_s3_location
    from toolkit.registration.files import snowflake_reads, stage_folder

    catalog = read_catalog(corpus_project, "s3")
    root = "s3://fedkit-corpus-gold/gold/"
    desired = desired_snowflake(corpus_project, catalog)
    for spec in desired.tables:
        assert spec.location == root + spec.name == table_s3_location(corpus_project, catalog.table(spec.name))
        # LOCATION takes no string literal: it stops above a folder it cannot spell, and the anchored PATTERN names
        # exactly that folder's Parquet (Snowflake "CREATE EXTERNAL TABLE"; toolkit.registration.files).
        assert spec.path == stage_folder(spec.name) and spec.path in (spec.name, "")
        assert snowflake_reads(spec.pattern, f"{spec.name}/part-0.parquet")
        assert not snowflake_reads(spec.pattern, f"{spec.name}x/part-0.parquet")
        assert not snowflake_reads(spec.pattern, f"{spec.name}/_SUCCESS")
    # (c) the role reads the gold prefix and nothing else, whatever the folders are called.
    statements = read_policy(corpus_project.config)["Statement"]
    resources = [s["Resource"] for s in statements]
    assert resources == ["arn:aws:s3:::fedkit-corpus-gold/gold/*", "arn:aws:s3:::fedkit-corpus-gold",
                         "arn:aws:s3:::fedkit-corpus-gold"]
    assert statements[1]["Condition"] == {"StringLike": {"s3:prefix": ["gold/*"]}}
    assert desired.allowed_locations == (root,) and desired.stage_url == root


def test_bigquery_ddl_is_one_statement_with_the_intended_names(make_bigquery_loaded):
    """BigQuery lists only the table and its partition columns in DDL; ZetaSQL parses it as exactly one statement."""
    from toolkit.gold.model import Column, GoldCatalog, GoldTable
    from toolkit.registration.desired import desired_bigquery
    from toolkit.sql.ddl import render_all
    from toolkit.types import LogicalType

    loaded = make_bigquery_loaded()
    accepted, refused = [], []
    names = [*COLUMNS.values(), *FOLDERS.values()]
    for name in names:
        for table_name, column in ((name, "p"), ("t", name)):
            table = GoldTable(table_name, f"s3://fedkit-corpus-gold/gold/{table_name}", (
                Column("id", LogicalType("int64")), Column(column, LogicalType("date"), partition=True)))
            try:
                desired_bigquery(loaded, GoldCatalog((table,)))
            except UsageError as exc:
                assert repr(name) in exc.message and "\n" not in exc.message
                refused.append((table_name, column))
                continue
            accepted.append(table)
    tables = {t.name for t in accepted} - {"t"}
    columns = {t.partition_columns[0] for t in accepted} - {"p"}
    assert tables == {"Straße_名前", "select", "MixedCase", "Straße", "Odd Table", "a -- b", "t -- x"}
    # Table names keep BigQuery's wide rule (Unicode letters, marks, numbers, connectors, dashes, spaces); columns and
    # partition keys of an external table take no flexible column names, so only classic names are left (a reserved
    # word is fine: it is backticked).
    assert columns == {"select", "MixedCase"}
    assert {("t", "it's"), ("t", "Straße"), ("t", "a=b"), ("t", "Odd Table")} <= set(refused)
    assert ("t", '"q"') in refused and ("a; DROP TABLE t", "p") in refused and ("t", "a`b") in refused
    for table in accepted:
        ddl = dict(render_all(loaded, GoldCatalog((table,)))["bigquery"])[f"table/gold.{table.name}"]
        identifiers, strings = _zetasql_single_statement(ddl)
        column = table.partition_columns[0]
        # The table path, then the partition column and its type: nothing split off, nothing merged.
        assert identifiers[:2] == ["gold", table.name] and column in identifiers, ddl
        assert identifiers.count(table.name) == 1 + (column == table.name)
        assert f"s3://fedkit-corpus-gold/gold/{table.name}/*.parquet" in strings
        assert f"s3://fedkit-corpus-gold/gold/{table.name}" in strings  # hive_partition_uri_prefix


def _zetasql_single_statement(sql: str) -> tuple[list[str], list[str]]:
    """(identifiers, string literals) of `sql`, parsed by ZetaSQL as exactly one statement (no script)."""
    from google.protobuf.message import Message
    from zetasql.core.exceptions import ServerError

    from toolkit.sql.zetasql_service import ZetaSQL

    zeta = ZetaSQL.get()
    request = zeta._pb.ParseRequest(sql_statement=sql, options=zeta.language_options, allow_script=False)
    try:
        raw = zeta._client.call_raw("ZetaSqlLocalService_Parse", request.SerializeToString())
    except ServerError as exc:
        raise AssertionError(f"ZetaSQL refused the DDL as one statement: {exc.message}\n{sql}")
    identifiers: list[str] = []
    strings: list[str] = []

    def walk(message: Message) -> None:
        for field, value in message.ListFields():
            if isinstance(value, Message):
                walk(value)
            elif isinstance(value, str):
                if field.name == "id_string":
                    identifiers.append(value)
                elif field.name == "string_value" and message.DESCRIPTOR.name == "ASTStringLiteralProto":
                    strings.append(value)
            elif hasattr(value, "__len__"):  # a repeated field (a sequence without __iter__ in upb)
                for item in value:
                    if isinstance(item, Message):
                        walk(item)

    walk(zeta._pb.ParseResponse.FromString(raw))
    return identifiers, strings


@pytest.fixture
def make_bigquery_loaded(tmp_path):
    from toolkit.config import load_config

    def make():
        path = tmp_path / "bq.yaml"
        path.write_text(
            "version: 1\ngold: {bucket: fedkit-corpus-gold, prefix: gold/}\n"
            "aws: {account_id: '123456789012', region: us-east-1, role_name: fedkit-corpus-reader}\n"
            "bigquery: {project: fedkit-corpus, location: aws-us-east-1, dataset: gold, connection_id: fedkit_gold}\n"
        )
        return load_config(path)

    return make


@pytest.mark.parametrize(("key", "body", "named"), [
    ("gold/a*/part-0.parquet", "good", "'a*'"),
    ("gold/[ab]/part-0.parquet", "good", "'[ab]'"),
    ("gold/ok/part-0.parquet", "newline column", "'a\\nb'"),
])
def test_plan_and_apply_refuse_hostile_names_before_any_change(cli, sandbox_project, key, body, named):
    from botocore.exceptions import ClientError

    from toolkit.aws import aws_client

    loaded = sandbox_project(orders=40)
    table = pa.table({"id": [1]}) if body == "good" else pa.table({"a\nb": [1]})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    aws_client("s3").put_object(Bucket="fedkit-demo-gold", Key=key, Body=sink.getvalue().to_pybytes())
    for command in (("plan",), ("apply", "--yes")):
        result = cli(*command, "--config", str(loaded.path))
        assert result.exit_code == 2, result.stdout + result.stderr
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and named in lines[0], result.stderr
    with pytest.raises(ClientError, match="NoSuchEntity"):
        aws_client("iam").get_role(RoleName="fedkit-gold-reader")
