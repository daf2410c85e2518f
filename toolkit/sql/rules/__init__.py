"""Portability rules as data: (source dialect, target engine) -> the ordered AST transforms that make sqlglot's
output mean what the source meant. One module per family; each rule's docstring names the semantic difference.

Add a rule by writing `def rule(tree, ctx) -> tree` in the right module and listing it below; its unit test must
show the wrong result (or text) the target gets without it.
"""

from __future__ import annotations

from toolkit.sql.rules.aggregates import (
    any_value_skips_nulls,
    median_not_aggregate,
    no_approximate,
    regexp_partial_match,
    string_agg_separator,
)
from toolkit.sql.rules.arithmetic import (
    avg_as_double,
    decimal_scale,
    float_division,
    float_to_int_cast,
    integer_division_as_float,
    round_integer_type,
    safe_division,
    zero_division_ieee,
)
from toolkit.sql.rules.base import Rule, RuleContext, SqlSyntaxError, UnportableError
from toolkit.sql.rules.builtins import (
    arg_max_as_array_agg,
    calendar_functions_as_extract,
    constant_value_window_is_the_constant,
    contains_is_case_sensitive,
    regexp_replace_first_match,
)
from toolkit.sql.rules.conditionals import (
    count_if_null_without_known_condition,
    greatest_least_skip_nulls,
    portable_conditionals,
)
from toolkit.sql.rules.dates import (
    calendar_parts,
    date_trunc_keeps_date,
    day_of_week_numbering,
    format_operand_typed,
    full_day_month_names,
    portable_format_codes,
    week_numbering,
)
from toolkit.sql.rules.identifiers import snowflake_identifier_case
from toolkit.sql.rules.ordering import (
    expand_group_and_order_all,
    explicit_null_ordering,
    explicit_window_frame,
    qualify_needs_where,
)
from toolkit.sql.rules.predicates import (
    comparisons_non_associative,
    is_binds_after_comparison,
    like_backslash_is_literal,
    rule_built_operands_parenthesised,
)
from toolkit.sql.rules.strings import split_part_on_bigquery
from toolkit.sql.rules.timestamps import (
    instant_diff_counts_boundaries,
    instant_plus_months_via_datetime,
    wall_clock_meets_instant_in_utc,
)

__all__ = ["RULES", "Rule", "RuleContext", "SqlSyntaxError", "UnportableError", "rules_for"]

# Refusals first (nothing is half-rewritten), then rewrites; division before ROUND so ROUND sees the new types.
_FROM_DUCKDB_TO_CLOUD: tuple[Rule, ...] = (
    no_approximate,
    expand_group_and_order_all,
    portable_format_codes,
    float_to_int_cast,
    safe_division,
    float_division,
    zero_division_ieee,
    avg_as_double,
    count_if_null_without_known_condition,
    any_value_skips_nulls,
    portable_conditionals,
    date_trunc_keeps_date,
    day_of_week_numbering,
    week_numbering,
    calendar_parts,
    full_day_month_names,
    string_agg_separator,
    explicit_window_frame,
    explicit_null_ordering,
)

RULES: dict[tuple[str, str], tuple[Rule, ...]] = {
    ("duckdb", "bigquery"): (median_not_aggregate, *_FROM_DUCKDB_TO_CLOUD, greatest_least_skip_nulls,
                             split_part_on_bigquery, round_integer_type, decimal_scale, qualify_needs_where),
    ("duckdb", "snowflake"): (*_FROM_DUCKDB_TO_CLOUD, regexp_partial_match, format_operand_typed,
                              snowflake_identifier_case),
    ("duckdb", "duckdb"): (no_approximate, safe_division, date_trunc_keeps_date, explicit_window_frame,
                           explicit_null_ordering),
    ("bigquery", "bigquery"): (explicit_null_ordering,),
    ("bigquery", "snowflake"): (no_approximate, safe_division, integer_division_as_float, portable_conditionals,
                                string_agg_separator, explicit_window_frame, explicit_null_ordering,
                                regexp_partial_match, snowflake_identifier_case),
    ("bigquery", "duckdb"): (no_approximate, safe_division, portable_conditionals, explicit_null_ordering),
    ("snowflake", "snowflake"): (explicit_null_ordering, snowflake_identifier_case),
    ("snowflake", "bigquery"): (median_not_aggregate, no_approximate, safe_division, portable_conditionals,
                                date_trunc_keeps_date, explicit_window_frame, explicit_null_ordering,
                                round_integer_type, decimal_scale, qualify_needs_where),
    ("snowflake", "duckdb"): (no_approximate, safe_division, portable_conditionals, explicit_window_frame,
                              explicit_null_ordering),
}

# Found by the differential fuzzer (toolkit/sql/fuzz): a parse fix runs before every other rule, output fixes after.
_FIRST: dict[tuple[str, str], tuple[Rule, ...]] = {
    ("duckdb", "bigquery"): (is_binds_after_comparison, regexp_replace_first_match),
    ("duckdb", "snowflake"): (is_binds_after_comparison, regexp_replace_first_match),
    ("duckdb", "duckdb"): (is_binds_after_comparison,),
}
_LAST: dict[tuple[str, str], tuple[Rule, ...]] = {
    ("duckdb", "bigquery"): (calendar_functions_as_extract, contains_is_case_sensitive, arg_max_as_array_agg,
                             constant_value_window_is_the_constant, wall_clock_meets_instant_in_utc,
                             instant_diff_counts_boundaries, instant_plus_months_via_datetime, like_backslash_is_literal,
                             comparisons_non_associative),
    ("snowflake", "bigquery"): (comparisons_non_associative,),
}
for _key in RULES:  # whatever the pair, rewritten arithmetic keeps its parentheses
    _LAST[_key] = (*_LAST.get(_key, ()), rule_built_operands_parenthesised)
RULES.update({key: (*_FIRST.get(key, ()), *rules, *_LAST.get(key, ())) for key, rules in RULES.items()})


def rules_for(source: str, target: str) -> tuple[Rule, ...]:
    """The rules for compiling `source` SQL to `target`; an unknown pair is a usage error."""
    from toolkit.errors import UsageError

    try:
        return RULES[(source, target)]
    except KeyError:
        raise UsageError(f"no compilation rules from {source!r} to {target!r}") from None
