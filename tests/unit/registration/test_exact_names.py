"""Names read from the data (Parquet columns, table folders) mean exactly their text on Snowflake: the `"Quoted"`
convention is for config names only, so a column literally named `"q"` is not registered as `q` (which then reads
NULL, since the VALUE key `"q"` and the column `q` no longer meet)."""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from toolkit.gold.model import Column, GoldCatalog, GoldTable
from toolkit.gold.names import ExactName
from toolkit.registration.desired import desired_snowflake, sf_resolved
from toolkit.sql.ddl import render_all, sf_ident
from toolkit.types import LogicalType

SNOWFLAKE_ONLY = """\
version: 1
gold:
  bucket: fedkit-demo-gold
  prefix: gold/
aws:
  account_id: "123456789012"
  region: us-east-1
  role_name: fedkit-gold-reader
snowflake:
  database: '"MixedDb"'
  schema: GOLD
  integration: FEDKIT_GOLD_S3
  stage: GOLD_STAGE
"""


def _quoted_table() -> GoldTable:
    columns = (Column('"q"', LogicalType("string")), Column("id", LogicalType("int64")))
    return GoldTable('"t"', "s3://fedkit-demo-gold/gold/\"t\"", columns)


def test_names_from_the_data_are_exact_names():
    table = _quoted_table()
    assert isinstance(table.name, ExactName) and all(isinstance(c.name, ExactName) for c in table.columns)
    assert isinstance(GoldTable.from_json(table.to_json()).columns[0].name, ExactName)


def test_sf_ident_keeps_quotes_of_an_exact_name_and_of_a_config_name_apart():
    assert sf_ident(ExactName('"q"')) == '"""q"""'
    assert sf_ident('"MixedDb"') == '"MixedDb"'  # a config name written quoted keeps its case
    assert sf_ident(ExactName("Order_ID")) == "Order_ID"
    assert sf_resolved(ExactName('"q"')) == '"q"' and sf_resolved('"MixedDb"') == "MixedDb"


def test_a_column_named_with_double_quotes_is_registered_under_its_exact_name(make_loaded):
    loaded = make_loaded(SNOWFLAKE_ONLY)
    catalog = GoldCatalog((_quoted_table(),))
    ddl = dict(render_all(loaded, catalog)["snowflake"])
    sql = next(text for name, text in ddl.items() if name.startswith("external_table/"))
    statements = sqlglot.parse(sql, read="snowflake")
    assert len(statements) == 1
    tree = statements[0]
    assert {c.this.this for c in tree.find_all(exp.ColumnDef)} == {'"q"', "id"}
    table = tree.find(exp.Table)
    assert (table.this.this, table.this.quoted) == ('"t"', True)
    assert (tree.find(exp.Table).args["db"].this, tree.find(exp.Table).args["catalog"].this) == ("GOLD", "MixedDb")
    assert "value['\"q\"']" in sql  # the VALUE key is the Parquet's exact name too
    spec = desired_snowflake(loaded, catalog).tables[0]
    assert sf_resolved(spec.name) == '"t"' and [sf_resolved(c.name) for c in spec.columns] == ['"q"', "ID"]
