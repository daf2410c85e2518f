"""Portability rules as data: (source dialect, target engine) -> the ordered AST transforms that make sqlglot's
output mean what the source meant. One module per family; each rule's docstring names the semantic difference.

Add a rule by writing `def rule(tree, ctx) -> tree` in the right module and listing it below; its unit test must
show the wrong result (or text) the target gets without it.
"""

from __future__ import annotations

from toolkit.sql.rules.aggregates import (
    any_value_skips_nulls,
    no_approximate,
    regexp_partial_match,
    string_agg_separator,
)
from toolkit.sql.rules.arithmetic import (
    avg_as_double,
    decimal_scale,
    float_division,
    float_to_int_cast,
    float_to_integer_rounds_half_away,
    integer_division,
    integer_division_as_float,
    round_integer_type,
    safe_division,
    zero_division_ieee,
)
from toolkit.sql.rules.bigquery_formats import bigquery_format_codes
from toolkit.sql.rules.bigquery_functions import (
    array_agg_limit,
    avg_of_integers_as_float,
    extract_date_or_time,
    format_function,
    ieee_divide,
    timestamp_diff_whole_units,
    week_date_diff,
)
from toolkit.sql.rules.bigquery_dates import datetime_trunc_on_snowflake, iso_year_truncation
from toolkit.sql.rules.bigquery_strings import (
    any_value_having_on_snowflake,
    array_to_string_of_array_agg,
    bigquery_only_hash_refused,
    in_unnest_literal_list,
    instr_position_and_occurrence,
    safe_arithmetic_operators,
    string_agg_limit,
    substr_position_from_one,
)
from toolkit.sql.rules.bigquery_values import (
    avg_of_numeric_is_numeric,
    date_arithmetic_stays_date,
    epoch_numbers_are_instants,
    float_literals_are_double,
    number_text_as_bigquery,
    timestamp_text_as_bigquery,
    unix_epoch_truncates,
    unnest_offset_from_zero,
    unnest_values_typed,
)
from toolkit.sql.rules.bigquery_source import (
    array_agg_ignore_nulls,
    bigquery_day_of_week,
    bigquery_week_numbers,
    bigquery_week_truncation,
    date_in_time_zone,
    numeric_division_scale,
    numeric_keeps_nine_decimals,
    safe_divide_grouped,
    split_offset_as_text,
)
from toolkit.sql.rules.aws import (
    athena_exact_quantiles,
    listagg_within_group,
    native_integer_division,
    redshift_concat_skips_nulls,
    redshift_date_parts,
    redshift_date_trunc_is_timestamp,
    trino_group_by_alias,
    trino_split_part_past_the_end,
)
from toolkit.sql.rules.aws_functions import (
    arg_max_as_max_by,
    computed_interval_as_date_add,
    date_from_parts_by_date_add,
    regexp_count_as_function,
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
from toolkit.sql.rules.decimals import exact_decimal_literals
from toolkit.sql.rules.duckdb_queries import (
    distinct_on_as_qualify,
    intersect_binds_tighter,
    list_result_on_snowflake,
    no_portable_duckdb_only,
    qualify_as_subquery_on_trino,
)
from toolkit.sql.rules.duckdb_source import (
    date_formatted_with_a_clock,
    date_arithmetic_as_operators,
    date_part_as_extract,
    epoch_functions,
    last_day_of_an_instant,
    parse_time_verbatim,
    timestamp_text_as_duckdb_prints,
    truncated_date_read_as_timestamp,
    week_difference_whole_weeks,
)
from toolkit.sql.rules.duckdb_text import (
    concat_ws_skips_nulls,
    number_text_as_duckdb_prints,
    regexp_extract_empty_without_match,
    regexp_flags_inline,
    regexp_group_on_redshift,
    regexp_replace_first_match_anchored,
    split_element_as_text,
)
from toolkit.sql.rules.duckdb_functions import (
    concat_casts_to_text,
    date_sub_counts_whole_parts,
    math_in_double,
    sign_is_an_integer,
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
from toolkit.sql.rules.groups import float_partition_keys, grand_total_without_rows, set_operation_instants_in_utc
from toolkit.sql.rules.identifiers import snowflake_identifier_case
from toolkit.sql.rules.shadowing import column_over_alias
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
from toolkit.sql.rules.quantiles import fold_quantiles_to_windows, snowflake_quantile_type
from toolkit.sql.rules.snowflake_source import (
    contains_case_sensitive,
    date_part_functions,
    listagg_empty_separator,
    ratio_to_report,
    snowflake_date_formats,
    snowflake_division_scale,
    week_difference_monday,
)
from toolkit.sql.rules.snowflake_aggregates import (
    array_agg_skips_nulls,
    count_distinct_of_several_columns,
    grouping_bit_vector,
    max_by_returns_the_rows_value,
    mode_has_no_bigquery_form,
)
from toolkit.sql.rules.snowflake_dates import (
    add_months_keeps_month_end,
    convert_timezone_of_a_wall_clock,
    date_from_parts_overflows,
    date_minus_date_is_days,
    date_part_names_for_bigquery,
    last_day_of_week_ends_on_sunday,
    to_date_of_a_date,
    to_timestamp_of_text,
)
from toolkit.sql.rules.snowflake_functions import (
    ceil_floor_to_a_scale,
    concat_ws_null_if_any_null,
    decimal_text_keeps_its_scale,
    equal_null_is_not_distinct,
    lag_lead_ignore_nulls_as_last_first_value,
    regexp_count_as_extract_all,
    regexp_like_whole_string,
    round_mode_names,
    text_to_integer_rounds,
    to_number_as_numeric,
    window_keys_over_grouped_expressions,
)
from toolkit.sql.rules.snowflake_types import (
    avg_of_numbers_keeps_division_scale,
    dateadd_of_a_date_is_a_date,
    median_keeps_three_more_decimals,
    within_group_quantiles_as_calls,
)
from toolkit.sql.rules.strings import regexp_extract_null_without_match, split_part_on_bigquery
from toolkit.sql.rules.timestamps import (
    instant_diff_counts_boundaries,
    instant_plus_months_via_datetime,
    wall_clock_meets_instant_in_utc,
)

__all__ = ["PIVOTS", "RULES", "Rule", "RuleContext", "SqlSyntaxError", "UnportableError", "rules_for"]

# Refusals first (nothing is half-rewritten), then rewrites; division before ROUND so ROUND sees the new types.
# before quantiles read GROUP BY
_PREPARE: tuple[Rule, ...] = (no_approximate, expand_group_and_order_all, column_over_alias)
_FROM_DUCKDB_TO_CLOUD: tuple[Rule, ...] = (
    portable_format_codes,
    float_to_int_cast,
    safe_division,
    integer_division,
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

# BigQuery semantics spelled for DuckDB and Snowflake (weeks, weekdays, formats, casts); SAFE_DIVIDE grouped before
# it becomes `/`.
_FROM_BIGQUERY: tuple[Rule, ...] = (
    no_approximate,
    numeric_keeps_nine_decimals,
    array_agg_limit,
    format_function,
    bigquery_format_codes,
    float_to_integer_rounds_half_away,
    ieee_divide,
    extract_date_or_time,
    timestamp_diff_whole_units,
    bigquery_day_of_week,
    bigquery_week_numbers,
    bigquery_week_truncation,
    safe_divide_grouped,
    numeric_division_scale,
    safe_division,
)

# Snowflake semantics (default WEEK_START = 0: DuckDB's weekday and ISO week numbering) for DuckDB and BigQuery.
_FROM_SNOWFLAKE: tuple[Rule, ...] = (
    no_approximate,
    snowflake_date_formats,
    ratio_to_report,
    snowflake_division_scale,
    safe_division,
    portable_conditionals,
    listagg_empty_separator,
)

# DuckDB semantics for the AWS-native engines. Athena (Trino): integer and decimal `/` truncate to the operands'
# type, so every division computes in DOUBLE (which Trino divides the IEEE way: no zero-division rule); GREATEST/LEAST
# return NULL on a NULL argument; weekday/week rules emit DAY_OF_WEEK(d) % 7 and WEEK_OF_YEAR (ISO). Redshift:
# `/` on integers truncates and AVG of integers is an integer, DATE_PART replaces the weekday/week functions, DOUBLE
# division by zero raises, GREATEST skips NULLs as DuckDB does (Postgres heritage).
_FROM_DUCKDB_TO_AWS: tuple[Rule, ...] = (
    *_PREPARE,
    portable_format_codes,
    float_to_int_cast,
    safe_division,
    integer_division,
    native_integer_division,
    float_division,
)
_DUCKDB_AWS_TAIL: tuple[Rule, ...] = (
    avg_as_double,
    count_if_null_without_known_condition,
    any_value_skips_nulls,
    portable_conditionals,
    date_trunc_keeps_date,
)

RULES: dict[tuple[str, str], tuple[Rule, ...]] = {
    ("duckdb", "bigquery"): (*_PREPARE, fold_quantiles_to_windows, *_FROM_DUCKDB_TO_CLOUD, greatest_least_skip_nulls,
                             split_part_on_bigquery, round_integer_type, decimal_scale, qualify_needs_where,
                             exact_decimal_literals),
    ("duckdb", "snowflake"): (*_PREPARE, snowflake_quantile_type, *_FROM_DUCKDB_TO_CLOUD, regexp_partial_match,
                              format_operand_typed, snowflake_identifier_case),
    ("duckdb", "duckdb"): (no_approximate, safe_division, date_trunc_keeps_date, explicit_window_frame,
                           explicit_null_ordering),
    ("bigquery", "bigquery"): (explicit_null_ordering,),
    ("bigquery", "snowflake"): (*_FROM_BIGQUERY, week_date_diff, calendar_parts, integer_division_as_float,
                                avg_of_integers_as_float, portable_conditionals,
                                date_in_time_zone, split_offset_as_text, array_agg_ignore_nulls,
                                string_agg_separator, explicit_window_frame, explicit_null_ordering,
                                regexp_partial_match, format_operand_typed, snowflake_identifier_case),
    ("bigquery", "duckdb"): (*_FROM_BIGQUERY, portable_conditionals, date_trunc_keeps_date,
                             regexp_extract_null_without_match, explicit_null_ordering),
    ("snowflake", "snowflake"): (explicit_null_ordering, snowflake_identifier_case),
    ("snowflake", "bigquery"): (*_FROM_SNOWFLAKE, expand_group_and_order_all, column_over_alias, fold_quantiles_to_windows,
                                day_of_week_numbering, week_numbering,
                                date_part_functions, week_difference_monday, split_part_on_bigquery,
                                contains_case_sensitive, date_trunc_keeps_date, explicit_window_frame,
                                explicit_null_ordering, round_integer_type, decimal_scale, qualify_needs_where,
                                exact_decimal_literals),
    ("snowflake", "duckdb"): (*_FROM_SNOWFLAKE, date_trunc_keeps_date, regexp_extract_null_without_match,
                              explicit_window_frame, explicit_null_ordering),
    ("duckdb", "athena"): (athena_exact_quantiles, *_FROM_DUCKDB_TO_AWS, *_DUCKDB_AWS_TAIL, day_of_week_numbering,
                           week_numbering, greatest_least_skip_nulls, trino_split_part_past_the_end,
                           listagg_within_group, trino_group_by_alias, explicit_window_frame,
                           explicit_null_ordering),
    ("duckdb", "redshift"): (*_FROM_DUCKDB_TO_AWS, zero_division_ieee, *_DUCKDB_AWS_TAIL,
                             redshift_date_trunc_is_timestamp, redshift_date_parts, listagg_within_group,
                             redshift_concat_skips_nulls, explicit_window_frame, explicit_null_ordering),
}


# Pairs compiled in two passes through DuckDB (source -> duckdb -> target): the BigQuery and Snowflake source rules
# already state their semantics in DuckDB SQL, and the DuckDB -> Athena / Redshift rules carry them on.
PIVOTS: dict[tuple[str, str], str] = {
    (source, target): "duckdb" for source in ("bigquery", "snowflake") for target in ("athena", "redshift")
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
# Found by Snowflake-dialect KPIs written independently (tests/corpus/snowflake_hunt).
_SNOWFLAKE_HUNT: dict[tuple[str, str], tuple[Rule, ...]] = {
    ("snowflake", "bigquery"): (avg_of_numbers_keeps_division_scale, regexp_like_whole_string,
                                equal_null_is_not_distinct, add_months_keeps_month_end, grouping_bit_vector,
                                array_agg_skips_nulls, mode_has_no_bigquery_form, to_number_as_numeric,
                                to_date_of_a_date, to_timestamp_of_text, decimal_text_keeps_its_scale,
                                window_keys_over_grouped_expressions, last_day_of_week_ends_on_sunday,
                                ceil_floor_to_a_scale, regexp_count_as_extract_all, concat_ws_null_if_any_null,
                                date_part_names_for_bigquery, lag_lead_ignore_nulls_as_last_first_value,
                                convert_timezone_of_a_wall_clock, date_from_parts_overflows, date_minus_date_is_days,
                                round_mode_names, max_by_returns_the_rows_value, count_distinct_of_several_columns,
                                text_to_integer_rounds),
    ("snowflake", "duckdb"): (avg_of_numbers_keeps_division_scale, array_agg_skips_nulls,
                              float_to_integer_rounds_half_away, dateadd_of_a_date_is_a_date,
                              median_keeps_three_more_decimals, within_group_quantiles_as_calls,
                              to_timestamp_of_text, max_by_returns_the_rows_value),
    ("duckdb", "athena"): (computed_interval_as_date_add, date_from_parts_by_date_add,
                           arg_max_as_max_by, regexp_count_as_function),
    ("duckdb", "redshift"): (computed_interval_as_date_add, date_from_parts_by_date_add,
                             arg_max_as_max_by, regexp_count_as_function),
}
for _key, _rules in _SNOWFLAKE_HUNT.items():
    _LAST[_key] = (*_rules, *_LAST.get(_key, ()))
# Found by the widened fuzzer (issue 13 item 6, rules/duckdb_functions.py and groups.py; duckdb_types.py sets the
# types of ROUND, sign and arg_max when the source is annotated); text conversions last, once every argument has its
# final type. date_part, concat_ws, regexp_extract, week differences, split elements and the text of numbers, which
# it found too, are the DuckDB-source rules above (duckdb_source.py, duckdb_text.py).
for _key in (("duckdb", "bigquery"), ("duckdb", "snowflake")):
    _FIRST[_key] = (*_FIRST.get(_key, ()), date_sub_counts_whole_parts, sign_is_an_integer)
    _LAST[_key] = (*_LAST.get(_key, ()), concat_casts_to_text, float_partition_keys, set_operation_instants_in_utc)
_LAST[("duckdb", "bigquery")] = (*_LAST[("duckdb", "bigquery")], math_in_double, grand_total_without_rows)

for _key in RULES:  # whatever the pair, rewritten arithmetic keeps its parentheses
    _LAST[_key] = (*_LAST.get(_key, ()), rule_built_operands_parenthesised)
RULES.update({key: (*_FIRST.get(key, ()), *rules, *_LAST.get(key, ())) for key, rules in RULES.items()})

# DuckDB as the source, hunted with independently written DuckDB KPIs (tests/corpus/duckdb_hunt) and the fuzzer:
# `_BEFORE` runs first of all (refusals, parse fixes), `_AFTER[rule]` right after the rule it completes.
_CLOUD_TEXT: tuple[Rule, ...] = (truncated_date_read_as_timestamp, date_formatted_with_a_clock, epoch_functions,
                                 parse_time_verbatim, concat_ws_skips_nulls, split_element_as_text,
                                 regexp_extract_empty_without_match, timestamp_text_as_duckdb_prints)
_BEFORE: dict[str, tuple[Rule, ...]] = {
    "bigquery": (no_portable_duckdb_only, intersect_binds_tighter, distinct_on_as_qualify, date_part_as_extract,
                 regexp_replace_first_match_anchored, regexp_flags_inline, week_difference_whole_weeks,
                 date_arithmetic_as_operators, last_day_of_an_instant),
    "snowflake": (no_portable_duckdb_only, list_result_on_snowflake, intersect_binds_tighter, distinct_on_as_qualify,
                  date_part_as_extract,
                  week_difference_whole_weeks, date_arithmetic_as_operators),
    "duckdb": (intersect_binds_tighter, date_part_as_extract),
    "athena": (no_portable_duckdb_only, intersect_binds_tighter, distinct_on_as_qualify, qualify_as_subquery_on_trino,
               date_part_as_extract,
               regexp_replace_first_match,
               contains_is_case_sensitive, week_difference_whole_weeks, date_arithmetic_as_operators),
    "redshift": (no_portable_duckdb_only, intersect_binds_tighter, distinct_on_as_qualify, date_part_as_extract,
                 regexp_replace_first_match,
                 contains_is_case_sensitive, concat_ws_skips_nulls, week_difference_whole_weeks,
                 date_arithmetic_as_operators, regexp_group_on_redshift),
}
_AFTER: dict[Rule, dict[str, tuple[Rule, ...]]] = {
    date_trunc_keeps_date: {"bigquery": (*_CLOUD_TEXT, number_text_as_duckdb_prints), "snowflake": _CLOUD_TEXT,
                            "duckdb": (truncated_date_read_as_timestamp,),
                            "athena": (truncated_date_read_as_timestamp, regexp_extract_empty_without_match),
                            "redshift": (truncated_date_read_as_timestamp,)},
}
for (_source, _target), _rules in list(RULES.items()):
    if _source == "duckdb":
        RULES[(_source, _target)] = (*_BEFORE.get(_target, ()), *(
            added for rule in _rules for added in (rule, *_AFTER.get(rule, {}).get(_target, ()))))
# Found by BigQuery-dialect KPIs written independently (tests/corpus/bigquery_hunt): literal types first, so every
# later rule sees FLOAT64 where BigQuery has one; value types and numbering last, on the finished tree.
for _target in ("duckdb", "snowflake"):
    RULES[("bigquery", _target)] = (bigquery_only_hash_refused, string_agg_limit, in_unnest_literal_list,
                                    array_to_string_of_array_agg, float_literals_are_double, iso_year_truncation,
                                    substr_position_from_one, instr_position_and_occurrence,
                                    safe_arithmetic_operators, *RULES[("bigquery", _target)], unix_epoch_truncates,
                                    date_arithmetic_stays_date, avg_of_numeric_is_numeric, unnest_offset_from_zero,
                                    unnest_values_typed, number_text_as_bigquery,
                                    timestamp_text_as_bigquery, epoch_numbers_are_instants,
                                    datetime_trunc_on_snowflake, any_value_having_on_snowflake)


def rules_for(source: str, target: str) -> tuple[Rule, ...]:
    """The rules for compiling `source` SQL to `target`; an unknown pair is a usage error."""
    from toolkit.errors import UsageError

    try:
        return RULES[(source, target)]
    except KeyError:
        raise UsageError(f"no compilation rules from {source!r} to {target!r}") from None
