"""Result column types across engines (issue 13.5): one family per meaning, and which differences are wrong answers."""

from __future__ import annotations

import pyarrow as pa
import pytest

from toolkit.sql.parity.result_types import family, type_problems


@pytest.mark.parametrize(
    ("arrow", "expected"),
    [
        (pa.int64(), "integer"),
        (pa.int32(), "integer"),
        (pa.decimal128(38, 0), "integer"),  # Snowflake NUMBER(38,0): Snowflake's only integer type
        (pa.decimal128(38, 2), "decimal"),
        (pa.decimal128(38, 9), "decimal"),  # BigQuery NUMERIC
        (pa.decimal256(76, 38), "decimal"),  # BigQuery BIGNUMERIC
        (pa.float64(), "float"),
        (pa.float32(), "float"),
        (pa.string(), "string"),
        (pa.large_string(), "string"),
        (pa.bool_(), "boolean"),
        (pa.date32(), "date"),
        (pa.timestamp("us"), "datetime"),  # BigQuery DATETIME, Snowflake TIMESTAMP_NTZ, DuckDB TIMESTAMP
        (pa.timestamp("us", tz="UTC"), "timestamp"),  # an instant: BigQuery TIMESTAMP, Snowflake TIMESTAMP_TZ/LTZ
        (pa.binary(), "binary"),
        (pa.null(), "null"),
    ],
)
def test_family(arrow, expected):
    assert family(arrow) == expected


def _schema(**types):
    return pa.schema([pa.field(name, t) for name, t in types.items()])


def test_same_family_different_width_or_precision_is_equivalent():
    reference = _schema(n=pa.int64(), total=pa.decimal128(38, 2), share=pa.float64())
    engine = _schema(N=pa.decimal128(38, 0), TOTAL=pa.decimal128(38, 9), SHARE=pa.float32())
    assert type_problems(reference, engine) == []


def test_exact_numbers_are_equivalent_whatever_their_scale():
    """BigQuery ROUND(NUMERIC, 0) is NUMERIC (scale 9) where DuckDB gives DECIMAL(12,0): the values are compared
    exactly anyway, so scale alone is no type mismatch."""
    assert type_problems(_schema(r=pa.decimal128(12, 0)), _schema(r=pa.decimal128(38, 9))) == []
    assert type_problems(_schema(n=pa.int64()), _schema(n=pa.decimal128(38, 9))) == []


def test_date_that_became_a_timestamp_is_a_problem_even_when_values_agree():
    problems = type_problems(_schema(month=pa.date32()), _schema(month=pa.timestamp("us")))
    assert [(p.position, p.column, p.reference, p.engine) for p in problems] == [(1, "month", "date", "datetime")]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (pa.decimal128(38, 2), pa.float64()),  # DECIMAL -> FLOAT64: digits kept only within the tolerance
        (pa.int64(), pa.float64()),
        (pa.float64(), pa.decimal128(38, 9)),
        (pa.string(), pa.int64()),
        (pa.timestamp("us"), pa.timestamp("us", tz="UTC")),  # wall clock vs instant
    ],
)
def test_different_families_are_problems(left, right):
    assert len(type_problems(_schema(x=left), _schema(x=right))) == 1


def test_an_all_null_column_has_no_type_to_compare():
    assert type_problems(_schema(x=pa.int64()), _schema(x=pa.null())) == []


def test_an_oracles_known_infidelity_is_accepted_when_declared():
    reference, engine = _schema(s=pa.decimal128(38, 2)), _schema(s=pa.float64())
    assert type_problems(reference, engine, accepted=frozenset({("decimal", "float")})) == []
    assert type_problems(engine, reference, accepted=frozenset({("decimal", "float")}))  # one direction only


def test_a_rules_deliberate_type_change_is_accepted_only_when_the_rule_ran():
    from toolkit.sql.parity.result_types import intended

    notes = ("date-trunc: truncation of a DATE to MONTH stays a DATE",)
    reference, engine = _schema(month=pa.timestamp("us")), _schema(month=pa.date32())
    assert type_problems(reference, engine, accepted=intended(notes)) == []
    assert type_problems(reference, engine, accepted=intended(("date-trunc: WEEK -> WEEK(MONDAY)",)))
    assert type_problems(engine, reference, accepted=intended(notes))  # a DATE that became a TIMESTAMP still is
