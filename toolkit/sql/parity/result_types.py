"""Result column types across engines: a DATE that comes back as a TIMESTAMP, or a DECIMAL as FLOAT64, is a wrong
answer even when the digits agree (the next query, the BI tool, the export all see the other type).

Every oracle returns Arrow (DuckDB's own, ZetaSQL's output types via `zetasql_values.arrow_type`, fakesnow's cursor
description via `oracle_fakesnow`), so one table maps an Arrow type to a family. Equivalent, by decision:
- every integer width, and a fixed-point number with scale 0 (Snowflake's NUMBER(38,0) is its only integer type:
  docs.snowflake.com/en/sql-reference/data-types-numeric, "NUMBER ... INT, INTEGER, BIGINT ... synonymous with
  NUMBER, except that precision and scale can't be specified") -> "integer";
- every fixed-point precision and scale above 0 (DECIMAL(38,2), BigQuery NUMERIC(38,9), BIGNUMERIC) -> "decimal":
  the digits themselves are compared exactly by `compare.values_equal`;
- FLOAT32/FLOAT64 -> "float"; every string encoding -> "string";
- "integer" and "decimal" with each other: both are exact numbers whose digits are compared exactly, so BigQuery's
  ROUND(NUMERIC, 0) = 3.000000000 against DuckDB's DECIMAL(12,0) 3 differs in scale only, never in value.
Different: a float from an exact number (its digits hold only within the tolerance); date, datetime (wall clock: BigQuery DATETIME, Snowflake
TIMESTAMP_NTZ) and timestamp (an instant: BigQuery TIMESTAMP, Snowflake TIMESTAMP_TZ/LTZ) from each other.
A column whose every value is NULL and that has no declared type ("null") is not compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, FrozenSet, Tuple

if TYPE_CHECKING:
    import pyarrow as pa

Accepted = FrozenSet[Tuple[str, str]]  # (reference family, engine family) pairs an oracle is known to produce


EQUIVALENT: Accepted = frozenset({("integer", "decimal"), ("decimal", "integer")})  # exact numbers, see above

# Result-type changes a portability rule makes on purpose, keyed by the note the rule leaves on the compiled query
# (`RuleContext.note`): DuckDB's date_trunc of a DATE returns a TIMESTAMP, and `rules.dates.date_trunc_keeps_date`
# turns it into a DATE on every engine, DuckDB included (DESIGN §6: the TIMESTAMP is the trap, the DATE the meaning).
# The reference runs the source as written, so its column is that TIMESTAMP; the compiled DATE is not a wrong answer.
INTENDED: tuple[tuple[str, Accepted], ...] = (
    ("date-trunc: truncation of a DATE to ", frozenset({("datetime", "date")})),
)


def intended(notes: "tuple[str, ...] | list[str]") -> Accepted:
    """The type changes the rules that left `notes` make on purpose."""
    found: set[tuple[str, str]] = set()
    for prefix, changes in INTENDED:
        if any(note.startswith(prefix) for note in notes):
            found |= changes
    return frozenset(found)


def family(arrow_type: "pa.DataType") -> str:
    """The family of an Arrow type (see the module docstring); unknown types are their own family."""
    import pyarrow.types as t

    checks = (
        (t.is_null, "null"),
        (t.is_boolean, "boolean"),
        (t.is_integer, "integer"),
        (t.is_floating, "float"),
        (t.is_decimal, "decimal"),
        (t.is_date, "date"),
        (t.is_time, "time"),
        (lambda x: t.is_string(x) or t.is_large_string(x) or str(x) == "string_view", "string"),
        (lambda x: t.is_binary(x) or t.is_large_binary(x) or t.is_fixed_size_binary(x) or str(x) == "binary_view",
         "binary"),
        (lambda x: t.is_list(x) or t.is_large_list(x), "array"),
        (t.is_struct, "struct"),
    )
    if t.is_timestamp(arrow_type):
        return "timestamp" if arrow_type.tz else "datetime"
    for check, name in checks:
        if check(arrow_type):
            if name == "decimal" and arrow_type.scale == 0:
                return "integer"
            return name
    return str(arrow_type)


@dataclass(frozen=True)
class TypeProblem:
    position: int  # 1-based
    column: str  # the reference's name
    reference: str  # family
    engine: str
    engine_type: str  # the Arrow type the engine gave, for the message

    def describe(self) -> str:
        return f"column {self.position} {self.column!r}: reference {self.reference}, engine {self.engine}"


def type_problems(reference: "pa.Schema", engine: "pa.Schema", accepted: Accepted = frozenset()) -> list[TypeProblem]:
    """Columns (matched by position, as the value comparison matches them) whose families differ."""
    problems = []
    for position, (left, right) in enumerate(zip(reference, engine), start=1):
        a, b = family(left.type), family(right.type)
        if a == b or "null" in (a, b) or (a, b) in EQUIVALENT or (a, b) in accepted:
            continue
        problems.append(TypeProblem(position, left.name, a, b, str(right.type)))
    return problems


def type_message(engine: str, problems: list[TypeProblem]) -> str:
    shown = "; ".join(p.describe().replace("engine", engine) for p in problems)
    return f"same values, different column types: {shown}"
