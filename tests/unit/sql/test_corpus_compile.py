"""Every query of the tricky corpus compiles for every engine, or is refused exactly where its header says."""

from __future__ import annotations

import pytest
from sqltest_catalog import sample_catalog
from sqltest_config import loaded_config
from sqltest_corpus import corpus, refused_engines

from toolkit.sql.compile import UnportableError, compile_kpi

QUERIES = corpus()


def test_corpus_is_large_enough():
    assert len(QUERIES) >= 25
    assert sum(1 for q in QUERIES if not refused_engines(q)) >= 25


@pytest.mark.parametrize("engine", ["bigquery", "snowflake", "duckdb"])
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_corpus_query_compiles_or_is_refused(query, engine):
    if engine in refused_engines(query):
        with pytest.raises(UnportableError) as info:
            compile_kpi(query, engine, loaded_config(), sample_catalog())
        assert str(query.path) in str(info.value) and "use instead" in str(info.value)
        return
    compiled = compile_kpi(query, engine, loaded_config(), sample_catalog())
    assert compiled.sql.strip().upper().startswith(("SELECT", "WITH"))
    assert "NULLS" in compiled.sql  # every ORDER BY key states its NULL ordering
