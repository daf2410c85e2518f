"""A name that is both an input column and a SELECT alias: DuckDB reads the column in GROUP BY, WHERE and aggregate
arguments; BigQuery (ZetaSQL, independent of sqlglot) reads the alias unless the column is qualified."""

from __future__ import annotations

import pytest

from toolkit.sql.rules.shadowing import column_over_alias

from .test_numeric_semantics import bigquery_rows, compiled, duckdb_rows

SHADOWED = [
    # GROUP BY the column, not the expression aliased with its name: a silent wrong answer on BigQuery
    "SELECT quantity % 3 AS quantity, COUNT(*) AS n FROM fact_sales GROUP BY quantity ORDER BY 1, 2",
    # aggregates over the column in HAVING and ORDER BY: "Aggregations of aggregations" on BigQuery
    "SELECT channel, SUM(quantity) AS quantity FROM fact_sales GROUP BY channel HAVING SUM(quantity) > 5 "
    "ORDER BY channel",
    "SELECT channel, SUM(quantity) AS quantity FROM fact_sales GROUP BY channel ORDER BY SUM(quantity), channel",
    # joined: the qualifier comes from the table the name resolves to
    "SELECT a.channel, SUM(a.quantity) AS quantity FROM fact_sales AS a JOIN (SELECT sale_id AS sid FROM fact_sales) "
    "AS b ON a.sale_id = b.sid GROUP BY a.channel HAVING MAX(quantity) > 1 ORDER BY a.channel",
]


@pytest.mark.parametrize("sql", SHADOWED)
def test_the_column_wins_on_bigquery_as_in_duckdb(sql):
    assert bigquery_rows(compiled(sql)) == duckdb_rows(sql)


@pytest.mark.parametrize("sql", SHADOWED)
def test_without_the_rule_bigquery_reads_the_alias(sql):
    from toolkit.errors import FedkitError

    try:
        rows = bigquery_rows(compiled(sql, without=column_over_alias))
    except FedkitError as exc:
        assert "Aggregations of aggregations" in exc.message
    else:
        assert rows != duckdb_rows(sql)


def test_a_bare_having_or_order_by_name_still_means_the_alias():
    sql = ("SELECT channel, SUM(quantity) AS quantity FROM fact_sales GROUP BY channel HAVING quantity > 5 "
           "ORDER BY quantity")
    text = compiled(sql)
    assert "HAVING quantity > 5" in text and "ORDER BY quantity" in text
    assert bigquery_rows(text) == duckdb_rows(sql)
