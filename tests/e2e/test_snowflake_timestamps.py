"""Timestamps on Snowflake end to end on the sandbox: the file format fedkit registers reads Parquet logical types,
a file format an earlier fedkit created bare is fixed by `plan`/`apply` (then nothing is left to do), and a user's
session in the account's default zone reads the same `order_ts` instants as DuckDB reading the Parquet.

Documentation: docs.snowflake.com "CREATE FILE FORMAT" (TYPE = PARQUET: USE_LOGICAL_TYPE, BINARY_AS_TEXT),
"ALTER FILE FORMAT", "Parameters" (TIMEZONE, default America/Los_Angeles).
What fakesnow cannot model, and is therefore pinned on the generated DDL instead: it reads Parquet through DuckDB
(instants stay instants whatever the file format says), it answers every session with Etc/UTC whatever TIMEZONE the
connection asks for, and it cannot run `ALTER SESSION SET TIMEZONE = 'America/Los_Angeles'` (NotImplementedError). So
the session below asks for America/Los_Angeles (the sandbox's connections.toml default) and the instants are compared;
that they would also hold on Snowflake rests on the DDL: the format's USE_LOGICAL_TYPE = TRUE (the reader gives
TIMESTAMP_LTZ) and the column's `value:"order_ts"::TIMESTAMP_TZ` (LTZ -> TZ keeps the instant); see
tests/unit/registration/test_type_conversions.py for every Parquet timestamp kind.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path


def _plan(cli, loaded) -> dict:
    result = cli("plan", "--config", str(loaded.path), "--output", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _user_session():
    """A connection as a user opens it from the sandbox's connections.toml ([fedkit_sandbox])."""
    import snowflake.connector

    from toolkit.sandbox.state import sandbox_snowflake_kwargs

    kwargs = sandbox_snowflake_kwargs()
    assert kwargs is not None and kwargs["session_parameters"]["TIMEZONE"] == "America/Los_Angeles"
    return snowflake.connector.connect(**kwargs)


def test_a_bare_file_format_is_altered_once_and_a_los_angeles_session_reads_the_parquet_instants(cli, sandbox_project):
    import duckdb

    loaded = sandbox_project(orders=60)
    sf = loaded.config.snowflake
    fq = f"{sf.database}.{sf.schema_}.FEDKIT_PARQUET"
    with _user_session() as conn:  # what an earlier fedkit (or a person) left: a bare PARQUET format
        cursor = conn.cursor()
        cursor.execute(f"CREATE DATABASE IF NOT EXISTS {sf.database}")
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {sf.database}.{sf.schema_}")
        cursor.execute(f"CREATE FILE FORMAT IF NOT EXISTS {fq} TYPE = PARQUET")

    planned = [a for a in _plan(cli, loaded)["actions"] if a["resource"].startswith("snowflake_file_format/")]
    assert [(a["action"], "USE_LOGICAL_TYPE = FALSE" in a["detail"]) for a in planned] == [("update", True)]
    assert "ALTER FILE FORMAT" in planned[0]["diff"] and "+ USE_LOGICAL_TYPE = TRUE" in planned[0]["diff"]
    text = cli("plan", "--config", str(loaded.path))
    assert text.exit_code == 0 and "snowflake_file_format/" in text.stdout and "drifted" in text.stdout

    applied = cli("apply", "--yes", "--config", str(loaded.path))
    assert applied.exit_code == 0, applied.stderr + applied.stdout
    again = _plan(cli, loaded)
    assert again["actions"] == [] and "drift" not in again

    with _user_session() as conn:
        cursor = conn.cursor()
        cursor.execute(f"SHOW FILE FORMATS LIKE 'FEDKIT_PARQUET' IN SCHEMA {sf.database}.{sf.schema_}")
        options = json.loads(dict(zip([d[0] for d in cursor.description], cursor.fetchone()))["format_options"])
        assert (options["USE_LOGICAL_TYPE"], options["BINARY_AS_TEXT"]) == (True, False)
        cursor.execute("SELECT DDL FROM FEDKIT_SANDBOX.EMULATION.OBJECTS WHERE KIND = 'external_table' AND NAME = %s",
                       (f"{sf.database}.{sf.schema_}.FACT_SALES",))
        (ddl,) = cursor.fetchone()
        assert 'order_ts TIMESTAMP_TZ AS (value:"order_ts"::TIMESTAMP_TZ)' in ddl
        assert f"FILE_FORMAT = (FORMAT_NAME = '{fq}')" in ddl
        cursor.execute(f"SELECT sale_id, order_ts FROM {sf.database}.{sf.schema_}.fact_sales")
        snowflake_rows = {sale: ts.astimezone(dt.timezone.utc) for sale, ts in cursor.fetchall()}

    con = duckdb.connect()
    con.execute("SET TimeZone = 'America/Los_Angeles'")  # DuckDB too in the user's zone: instants must not move
    parquet = str(Path(loaded.config.gold.local_dir) / "fact_sales" / "**" / "*.parquet")
    duck_rows = {sale: ts.astimezone(dt.timezone.utc)
                 for sale, ts in con.execute(f"SELECT sale_id, order_ts FROM read_parquet('{parquet}')").fetchall()}
    assert snowflake_rows and snowflake_rows == duck_rows
