"""Contract of SYSTEM$VALIDATE_STORAGE_INTEGRATION (docs.snowflake.com/en/sql-reference/functions/
system_validate_storage_integration): the exact SQL fedkit sends, and the documented success and failure answers."""

from __future__ import annotations

import json

from toolkit.engines.validate_integration import parse_validation, validate_sql

SUCCESS = {"status": "success", "actions": {"READ": {"status": "success"}}}
FAILURE = {"status": "failure",
           "actions": {"READ": {"message": "Access Denied (Status Code: 403; Error Code: AccessDenied)",
                                "status": "failure"}}}


def test_the_exact_sql_passes_the_stored_integration_name_and_the_gold_prefix():
    assert validate_sql("fedkit_gold_s3", "s3://fedkit-demo-gold/gold/") == (
        "SELECT SYSTEM$VALIDATE_STORAGE_INTEGRATION('FEDKIT_GOLD_S3', 's3://fedkit-demo-gold/gold/', "
        "'validate_all.txt', 'read')")
    assert "('it\\'s', " in validate_sql('"it\'s"', "s3://b/p/")  # escaped like every Snowflake string literal


def test_a_success_answer_is_ok():
    result = parse_validation("FEDKIT_GOLD_S3", "s3://b/gold/", json.dumps(SUCCESS, indent=2))
    assert result.ok and result.summary == "storage integration FEDKIT_GOLD_S3 can read s3://b/gold/"


def test_a_failure_answer_names_the_action_and_snowflakes_message():
    result = parse_validation("FEDKIT_GOLD_S3", "s3://b/gold/", json.dumps(FAILURE))
    assert not result.ok
    assert result.summary.startswith("storage integration FEDKIT_GOLD_S3 cannot use s3://b/gold/ (read: Access Denied "
                                     "(Status Code: 403; Error Code: AccessDenied))")


def test_an_unreadable_answer_is_not_a_pass():
    assert not parse_validation("I", "s3://b/", "<html>").ok


def test_the_read_check_names_a_gold_file_under_the_prefix(monkeypatch):
    """'read' fails when the file does not exist (the function's documentation): a real gold file is named."""
    from types import SimpleNamespace

    import toolkit.engines.s3_files as s3_files
    from toolkit.registration.targets import _validation_file

    listing = {"empty": {}, "fact": {"s3://b/gold/fact/m=1/b.parquet": 1, "s3://b/gold/fact/m=1/a.parquet": 1}}
    # The files the external table reads (LOCATION + PATTERN), as the sandbox and the freshness check select them.
    monkeypatch.setattr(s3_files, "snowflake_table_files", lambda desired, table: listing[table.name])
    desired = SimpleNamespace(stage_url="s3://b/gold/", tables=[SimpleNamespace(name="empty"),
                                                                SimpleNamespace(name="fact")])
    assert _validation_file(desired) == "fact/m=1/a.parquet"
    assert _validation_file(SimpleNamespace(stage_url="s3://b/gold/", tables=[])) is None
