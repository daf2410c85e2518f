"""The Glue adapter's wiring and its apply calls, against a recording stand-in for boto3's glue client."""

from __future__ import annotations

import pytest

from toolkit.engines.glue import BATCH_PARTITIONS, GlueCatalog, GlueSandboxCatalog
from toolkit.engines.registry import ENGINE_NAMES, get_engine, parse_engines
from toolkit.errors import CloudError, UsageError
from toolkit.registration.glue_desired import GlueDesired


class _Client:
    """Records batch_create_partition calls; answers with the per-partition errors it is given."""

    def __init__(self, errors=()):
        self.calls: list[dict] = []
        self.errors = list(errors)

    def batch_create_partition(self, **kwargs):
        self.calls.append(kwargs)
        return {"Errors": self.errors}


DESIRED = GlueDesired(database="gold_lake", catalog_id="210987654321", account_id="210987654321", tables=())


def _partitions(count: int) -> list[dict]:
    return [{"Values": [f"2024-01-{i:03d}"], "StorageDescriptor": {}} for i in range(count)]


def test_partitions_go_in_batches_of_at_most_100_in_the_configured_catalog(loaded):
    client = _Client()
    GlueCatalog(loaded, client).create_partitions(DESIRED, "fact_sales", _partitions(2 * BATCH_PARTITIONS + 5))
    assert [len(c["PartitionInputList"]) for c in client.calls] == [100, 100, 5]
    assert {c["CatalogId"] for c in client.calls} == {"210987654321"}


def test_an_existing_partition_is_done_and_any_other_partition_error_fails_the_step(loaded):
    exists = {"PartitionValues": ["2024-01-001"], "ErrorDetail": {"ErrorCode": "AlreadyExistsException"}}
    GlueCatalog(loaded, _Client([exists])).create_partitions(DESIRED, "fact_sales", _partitions(3))
    denied = {"PartitionValues": ["2024-01-002"], "ErrorDetail": {"ErrorCode": "InvalidInputException",
                                                                  "ErrorMessage": "bad location"}}
    with pytest.raises(CloudError, match=r"create glue_partitions/gold_lake.fact_sales: InvalidInputException"):
        GlueCatalog(loaded, _Client([denied])).create_partitions(DESIRED, "fact_sales", _partitions(3))


def test_registry_builds_glue_per_mode_but_kpi_engines_stay_unchanged(loaded):
    assert type(get_engine("glue", loaded, mode="cloud")) is GlueCatalog
    assert type(get_engine("glue", loaded, mode="sandbox")) is GlueSandboxCatalog
    assert "glue" not in ENGINE_NAMES and "glue" not in parse_engines(None)
    with pytest.raises(UsageError):
        parse_engines("glue")  # a catalog runs no KPI
    with pytest.raises(UsageError, match="catalog"):
        GlueCatalog(loaded).run("SELECT 1")


class _Pages:
    """A paginator stand-in: each call to paginate yields the pages given (boto3 follows NextToken the same way)."""

    def __init__(self, by_operation):
        self.by_operation = by_operation
        self.asked: list[tuple[str, dict]] = []

    def get_database(self, **kwargs):
        return {"Database": {"Name": kwargs["Name"]}}

    def get_paginator(self, operation):
        outer = self

        class _P:
            def paginate(self, **kwargs):
                outer.asked.append((operation, kwargs))
                return iter(outer.by_operation[operation])

        return _P()


def test_observe_reads_every_page_of_tables_and_partitions(loaded, gold, monkeypatch):
    from toolkit.registration.glue_desired import desired_glue

    glue_loaded = type(loaded)(loaded.config.model_copy(update={"glue": _glue_section()}), loaded.path)
    desired = desired_glue(glue_loaded, gold.sample)
    spec = {t.name: t for t in desired.tables}["fact_sales"]
    tables = [{"TableList": [t.table_input()]} for t in desired.tables]  # one table per page
    parts = [{"Partitions": [spec.partition_input((f"2024-0{m}-01",))]} for m in (1, 2, 3)]  # one partition per page
    client = _Pages({"get_tables": tables, "get_partitions": parts})
    monkeypatch.setattr(GlueCatalog, "_s3_partitions", staticmethod(lambda d: {}))
    observed = GlueCatalog(glue_loaded, client).observe(desired)
    assert set(observed.tables) == {t.name for t in desired.tables}
    assert observed.partitions["fact_sales"] == {("2024-01-01",), ("2024-02-01",), ("2024-03-01",)}
    assert [op for op, _ in client.asked] == ["get_tables", "get_partitions"]


def _glue_section():
    from toolkit.config_glue import GlueConfig

    return GlueConfig(database="gold_lake")
