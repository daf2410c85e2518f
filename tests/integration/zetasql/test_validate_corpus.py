"""The broken-query corpus: each file states which engines reject it, at which line:column, with what message;
every engine not listed must accept it. The valid corpus must pass on every engine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
BROKEN = sorted((REPO / "tests" / "corpus" / "broken").glob("*.sql"))
VALID = sorted((REPO / "tests" / "corpus" / "valid").glob("*.sql"))
ENGINES = ("bigquery", "snowflake", "duckdb")
_EXPECT = re.compile(r"^-- expect: (\w+) (\d+):(\d+) (.+)$")


def expectations(path: Path) -> dict[str, tuple[int, int, str]]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _EXPECT.match(line)
        if match:
            found[match.group(1)] = (int(match.group(2)), int(match.group(3)), match.group(4).strip())
    return found


def write_project(root: Path, source_dialect: str = "duckdb") -> Path:
    """Sample gold data + a config like the repository's, pointing at it."""
    from toolkit.gold.sample import write_sample

    write_sample(root / "gold", orders=200)
    text = (REPO / "config" / "federation.yaml").read_text(encoding="utf-8")
    text = text.replace("local_dir: .fedkit/gold", f"local_dir: {root / 'gold'}")
    text = text.replace("source_dialect: duckdb", f"source_dialect: {source_dialect}")
    path = root / "federation.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def validator(tmp_path_factory):
    from toolkit.config import load_config
    from toolkit.gold.schema import read_catalog
    from toolkit.sql.validate.files import FileValidator

    loaded = load_config(write_project(tmp_path_factory.mktemp("corpus")))
    checker = FileValidator(loaded, read_catalog(loaded, "local"), ENGINES)
    yield checker
    checker.close()


def test_corpus_is_big_enough():
    assert len(BROKEN) >= 20
    assert all(expectations(p) for p in BROKEN), "every broken query states its expectations"


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_query(validator, path):
    expected = expectations(path)
    results = {r.engine: r for r in validator.validate(path)}
    assert set(results) == set(ENGINES)
    for engine in ENGINES:
        result = results[engine]
        if engine not in expected:
            assert result.ok, f"{engine} should accept {path.name}: {result.message}"
            continue
        line, column, fragment = expected[engine]
        assert result.status == "error", f"{engine} should reject {path.name}"
        assert fragment in result.message, f"{engine}: {result.message!r}"
        assert (result.line, result.column) == (line, column), f"{engine}: {result.message}"
        source_line = path.read_text(encoding="utf-8").splitlines()[line - 1]
        assert result.excerpt.splitlines()[0] == source_line.rstrip()
        assert result.excerpt.splitlines()[1] == " " * (column - 1) + "^"


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_query_passes_everywhere(validator, path):
    results = validator.validate(path)
    assert [r.engine for r in results] == list(ENGINES)
    assert all(r.ok for r in results), [(r.engine, r.message) for r in results if not r.ok]


def test_position_maps_through_jinja_and_pretty_printing(validator, tmp_path):
    """The error is on line 7 of the file; the compiled BigQuery text puts it elsewhere (pretty printer, table
    names), and the ref on line 6 changes its columns: the reported position is the one the user typed."""
    path = tmp_path / "mapped.sql"
    path.write_text(
        "-- name: mapped\n"
        "-- A header that the compiled SQL does not have.\n"
        "\n"
        "select channel, sum(amount) as revenue,\n"
        "       count(*) as n\n"
        "from {{ ref('fact_sales') }} as s join {{ ref('dim_region') }} as r on r.region_id = s.customer_id\n"
        "where s.channel = 'web' and r.regoin = 'EU' group by channel\n",
        encoding="utf-8",
    )
    results = {r.engine: r for r in validator.validate(path)}
    column = path.read_text().splitlines()[6].index("regoin") - 1  # the `r.` before the name (1-based: index - 2 + 1)
    for engine in ENGINES:
        assert results[engine].line == 7, (engine, results[engine].message)
    assert results["bigquery"].message == "Name regoin not found inside r"
    assert results["bigquery"].column in (column, column + 2)
    assert results["duckdb"].column in (column, column + 2)


def test_dml_is_refused_on_read_only_gold_tables(validator, tmp_path):
    """BigQuery: Omni's rule; Snowflake: external tables are read-only (not a parse error of a wrapped query)."""
    path = tmp_path / "purge.sql"
    path.write_text("-- name: purge\nDELETE FROM {{ ref('fact_sales') }}\nWHERE amount < 0\n", encoding="utf-8")
    results = {r.engine: r for r in validator.validate(path)}
    assert "BigQuery Omni: DML (DELETE)" in results["bigquery"].message
    assert results["bigquery"].line == 2
    snowflake = results["snowflake"]
    assert snowflake.status == "error"
    assert snowflake.message.startswith("DELETE on a gold table: Snowflake external tables are read-only")
    assert (snowflake.line, snowflake.column) == (2, 13)  # the `{{ ref(` the user wrote


def test_a_bigquery_source_is_parsed_by_bigquery_own_parser(tmp_path):
    """sqlglot reads `amount > > 10` as a shift; ZetaSQL's parser (BigQuery's) refuses it, for every engine, at the
    position in the file; valid BigQuery-only syntax (COUNTIF, SAFE_DIVIDE, QUALIFY) still passes."""
    from toolkit.config import load_config
    from toolkit.gold.schema import read_catalog
    from toolkit.sql.validate.files import FileValidator

    loaded = load_config(write_project(tmp_path / "bq", source_dialect="bigquery"))
    checker = FileValidator(loaded, read_catalog(loaded, "local"), ENGINES)
    try:
        broken = tmp_path / "shift.sql"
        broken.write_text("-- name: shift\nSELECT channel\nFROM {{ ref('fact_sales') }}\nWHERE amount > > 10\n",
                          encoding="utf-8")
        results = checker.validate(broken)
        assert [r.engine for r in results] == list(ENGINES)
        for result in results:
            assert result.message == 'syntax error (bigquery): Syntax error: Unexpected ">"'
            assert (result.line, result.column) == (4, 16)
        valid = tmp_path / "valid.sql"
        valid.write_text("-- name: ok\nSELECT channel, COUNTIF(amount > 10) AS big,\n"
                         "  SAFE_DIVIDE(SUM(amount), COUNT(*)) AS avg_amount\nFROM {{ ref('fact_sales') }}\n"
                         "GROUP BY channel\nQUALIFY ROW_NUMBER() OVER (ORDER BY channel) <= 3\n", encoding="utf-8")
        assert [(r.engine, r.status) for r in checker.validate(valid)] == [(e, "ok") for e in ENGINES]
    finally:
        checker.close()


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake"])
def test_the_suite_in_another_source_dialect_validates_on_every_engine(tmp_path_factory, dialect):
    """The shipped KPIs as a BigQuery or Snowflake team writes them (tests/corpus/<dialect>_suite) with
    `kpi.source_dialect: <dialect>`: every compiled form is accepted by ZetaSQL, fakesnow and DuckDB."""
    from toolkit.config import load_config
    from toolkit.gold.schema import read_catalog
    from toolkit.sql.validate.files import FileValidator

    loaded = load_config(write_project(tmp_path_factory.mktemp(f"{dialect}-suite"), source_dialect=dialect))
    checker = FileValidator(loaded, read_catalog(loaded, "local"), ENGINES)
    try:
        suite = sorted((REPO / "tests" / "corpus" / f"{dialect}_suite").glob("*.sql"))
        assert len(suite) == len(list((REPO / "sql" / "kpi").glob("*.sql")))
        failures = [(path.name, r.engine, r.message) for path in suite for r in checker.validate(path) if not r.ok]
        assert not failures, failures
    finally:
        checker.close()


HUNT_REFUSED = {("21_medians_and_modes.sql", "bigquery"): "MODE(x) has no exact BigQuery form"}


def test_the_snowflake_hunt_corpus_validates_on_every_engine(tmp_path):
    """KPIs written as a Snowflake team writes them (tests/corpus/snowflake_hunt): every compiled form is accepted,
    except the construct refused by name; valid Snowflake fakesnow cannot run (RATIO_TO_REPORT) is no error."""
    from toolkit.config import load_config
    from toolkit.gold.schema import read_catalog
    from toolkit.sql.validate.files import FileValidator

    loaded = load_config(write_project(tmp_path, source_dialect="snowflake"))
    checker = FileValidator(loaded, read_catalog(loaded, "local"), ENGINES)
    try:
        hunt = sorted((REPO / "tests" / "corpus" / "snowflake_hunt").glob("*.sql"))
        assert len(hunt) >= 30
        results = {(path.name, r.engine): r for path in hunt for r in checker.validate(path)}
        failures = [(key, r.message) for key, r in results.items() if not r.ok and key not in HUNT_REFUSED]
        assert not failures, failures
        for key, message in HUNT_REFUSED.items():
            assert not results[key].ok and message in results[key].message
        assert results[("22_channel_share.sql", "snowflake")].ok  # RATIO_TO_REPORT: fakesnow lacks it, Snowflake has it
    finally:
        checker.close()
