"""`fedkit init`'s files as text (pure): the config reads back exactly what was given, whatever the names."""

from __future__ import annotations

import yaml

from toolkit.scaffold import Answers, config_text, example_kpi


def test_names_that_yaml_would_retype_are_quoted_and_read_back_exactly() -> None:
    tables = {"on": [], "2024": ["dt"], "orders v2": [], "fact_sales": ["order_month", "true"]}
    text = config_text(Answers(local_dir="data/gold", bucket="acme-gold", tables=tables, aws_account_id="012345678901",
                               aws_region="us-east-1"))
    data = yaml.safe_load(text)
    assert {name: opts.get("partition_columns", []) for name, opts in data["gold"]["tables"].items()} == tables
    assert data["aws"]["account_id"] == "012345678901"  # a string: leading zero kept
    assert "fact_sales:" in text and '"on":' in text  # plain where YAML reads it back unchanged, quoted elsewhere


def test_nothing_given_is_a_valid_empty_gold_section_with_every_other_section_commented() -> None:
    text = config_text(Answers())
    assert yaml.safe_load(text) == {"version": 1, "gold": {}}
    for section in ("# aws:", "# bigquery:", "# snowflake:", "# kpi:", "  # local_dir:", "  # bucket:"):
        assert section in text


def test_the_example_kpi_uses_a_table_it_can_reference() -> None:
    assert "ref('dim_customer')" in example_kpi({"dim_customer": [], "weird name": []})
    assert "ref('my_table')" in example_kpi({"weird name": []}) and "Replace my_table" in example_kpi({})
