"""Adding an engine touches only its adapters, rules table, DDL templates, the type map, the config model and the
registry: what core code decides per engine is asked of the engine's traits (toolkit.engines.traits), never written as
`engine == "bigquery"` or a loop over a literal tuple of engine names outside toolkit/engines/ and the rules tables."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from toolkit.engines.registry import CATALOG_NAMES, ENGINE_NAMES
from toolkit.errors import UsageError

KNOWN = ENGINE_NAMES + CATALOG_NAMES  # every name the registry knows
PACKAGE = Path(__file__).resolve().parents[2] / "toolkit"
# Where per-engine decisions belong: the adapters and their traits, and the compile rules tables (one rule per
# source -> target difference; a rule testing `ctx.target == "bigquery"` is an entry of that table, not a branch).
ENGINE_HOMES = ("engines/", "sql/rules/")
# file (relative to toolkit/) -> the comparisons and engine-name lists allowed there, each with why it stays.
ALLOWED: dict[str, set[str]] = {
    # Snowflake's own offline checker (built by SnowflakeTraits.offline_checker) asking whether the KPI source is
    # written in its own dialect: a fact about this one engine, inside its engine-specific class.
    "sql/validate/local_engines.py": {"source_dialect != 'snowflake'"},
    # The config model (a new engine adds its section there by design): the dialects a KPI may be written in.
    "config.py": {"('duckdb', 'bigquery', 'snowflake')"},
    # The type map, one table: its columns are the engines (and ZetaSQL, the sandbox's BigQuery).
    "types.py": {"('bigquery', 'snowflake', 'duckdb', 'zetasql', 'glue')"},
    # What `plan --clouds` selects: clouds (with aws), not query engines; a new registration target adds itself here.
    "planning/actions.py": {"('aws', 'bigquery', 'snowflake', 'glue')"},
    "planning/pipeline.py": {"('aws', 'bigquery', 'snowflake', 'glue')"},
    # `--identity` keys: the principals a role trusts (a service-trusted engine such as Glue or Redshift has none).
    "planning/identities.py": {"('bigquery', 'snowflake', 'snowflake_channel')", "('bigquery', 'snowflake')"},
    # Where KPI views are created: an engine that keeps views (Athena's live in Glue) joins this list with its
    # view target; not every engine that registers tables keeps views.
    "registration/view_plan.py": {"('bigquery', 'snowflake')"},
}


def _names_an_engine(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in KNOWN
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_names_an_engine(e) for e in node.elts)
    return False


def engine_branches(source: str) -> list[tuple[int, str]]:
    """(line, code) of every comparison with an engine-name literal, every loop over a literal naming engines, and
    every other literal list of two or more engine names (a hand-kept copy of "the engines")."""
    tree = ast.parse(source)
    found, counted = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(_names_an_engine(n) for n in (node.left, *node.comparators)):
            found.append((node.lineno, ast.unparse(node)))
            counted.update(id(n) for n in (node.left, *node.comparators))
        elif isinstance(node, (ast.For, ast.comprehension)) and _names_an_engine(node.iter):
            found.append((node.iter.lineno, f"for … in {ast.unparse(node.iter)}"))
            counted.add(id(node.iter))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and id(node) not in counted:
            if sum(isinstance(e, ast.Constant) and e.value in KNOWN for e in node.elts) >= 2:
                found.append((node.lineno, ast.unparse(node)))
    return found


def _core_files() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py"))
            if not p.relative_to(PACKAGE).as_posix().startswith(ENGINE_HOMES)]


def test_no_engine_branch_outside_the_engines_and_the_rules_tables():
    offending = []
    for path in _core_files():
        relative = path.relative_to(PACKAGE).as_posix()
        for line, code in engine_branches(path.read_text(encoding="utf-8")):
            if code not in ALLOWED.get(relative, set()):
                offending.append(f"toolkit/{relative}:{line}: {code}")
    assert offending == [], ("engine decisions belong in the engine's traits (toolkit/engines/traits/), reached "
                             "through toolkit.engines.registry.traits(name):\n" + "\n".join(offending))


def test_every_allowed_branch_still_exists():
    """A stale allow-list entry would let the same comparison come back unnoticed."""
    for relative, codes in ALLOWED.items():
        present = {code for _, code in engine_branches((PACKAGE / relative).read_text(encoding="utf-8"))}
        assert codes <= present, f"toolkit/{relative}: no longer has {sorted(codes - present)}; drop it from ALLOWED"


@pytest.mark.parametrize("code", [
    'if engine == "bigquery":\n    pass\n',
    'x = name != "duckdb"\n',
    'ok = engine in ("bigquery", "snowflake")\n',
    'ok = "snowflake" not in engines\n',
    'for engine in ("bigquery", "snowflake"):\n    pass\n',
    'xs = [e for e in ["duckdb", "bigquery"]]\n',
    'ENGINES = ("bigquery", "snowflake", "duckdb")\n',
])
def test_the_check_sees_each_shape_of_engine_branch(code):
    assert len(engine_branches(code)) == 1


@pytest.mark.parametrize("code", [
    'if kind == "table":\n    pass\n',
    'section = traits(engine).config_section\n',
    'for engine in engines_that(lambda t: t.registers_tables):\n    pass\n',
    'names = {"bigquery": 1}\n',  # a per-engine table is data, not a branch
])
def test_the_check_leaves_other_code_alone(code):
    assert engine_branches(code) == []


def test_every_engine_has_traits_named_after_it():
    from toolkit.engines.registry import traits

    for name in KNOWN:
        assert traits(name).name == name


def test_a_catalog_only_engine_plugs_in_through_the_registry(monkeypatch):
    """An engine that registers tables but runs no KPI (e.g. the Glue Data Catalog) is one traits class and one
    registry entry: `gold schema`, DDL validation and parity pick it up or leave it out by its traits alone."""
    from toolkit.engines import registry
    from toolkit.engines.traits import EngineTraits
    from toolkit.sql.parity.oracle import _oracles

    class CatalogOnly(EngineTraits):
        name = "catalogonly"
        title = "Catalog"
        config_section = "catalogonly"
        registers_tables = True
        runs_kpis = False

    monkeypatch.setattr(registry, "ENGINE_NAMES", (*registry.ENGINE_NAMES, "catalogonly"))
    monkeypatch.setitem(registry._TRAITS_LOADED, "catalogonly", CatalogOnly())

    assert "catalogonly" in registry.engines_that(lambda t: t.registers_tables)
    assert "catalogonly" not in registry.engines_that(lambda t: t.runs_kpis)
    assert "catalogonly" not in _oracles()  # no parity oracle: parity never offers it
    assert registry.traits("catalogonly").normalize_type("varchar ( 10 )") == "VARCHAR(10)"
    assert "catalogonly" not in registry.parse_engines("all")  # KPI commands never run on it
    with pytest.raises(UsageError, match="catalogonly is a catalog, it runs no KPI"):
        registry.parse_engines("catalogonly")
