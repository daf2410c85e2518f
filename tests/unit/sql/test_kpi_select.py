"""`--select` picks KPIs the way dbt's `--select` picks models: exact names, shell globs and `tag:x`, unioned."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import UsageError
from toolkit.sql.kpi_files import KpiFile
from toolkit.sql.kpi_select import select_kpis


def _kpi(name: str, *tags: str) -> KpiFile:
    return KpiFile(name=name, path=Path(f"sql/kpi/{name}.sql"), text="", header={"name": name, "tags": list(tags)})


SUITE = [_kpi("revenue_by_brand", "revenue", "product"), _kpi("revenue_by_country", "revenue", "geography"),
         _kpi("aov_by_channel", "revenue", "channel"), _kpi("cancellation_rate", "cancellations")]


def names(kpis: list[KpiFile]) -> list[str]:
    return [k.name for k in kpis]


def test_no_selector_keeps_the_whole_suite_in_its_order():
    assert names(select_kpis(SUITE, [])) == names(SUITE)


def test_exact_name_glob_and_tag():
    assert names(select_kpis(SUITE, ["aov_by_channel"])) == ["aov_by_channel"]
    assert names(select_kpis(SUITE, ["revenue_by_*"])) == ["revenue_by_brand", "revenue_by_country"]
    assert names(select_kpis(SUITE, ["tag:cancellations"])) == ["cancellation_rate"]


def test_selectors_are_a_union_in_suite_order_without_duplicates():
    # dbt: space- or comma-free repeated selectors are a union; fedkit also takes a comma list in one value
    assert names(select_kpis(SUITE, ["tag:cancellations", "revenue_by_brand", "revenue_*"])) == [
        "revenue_by_brand", "revenue_by_country", "cancellation_rate"]
    assert names(select_kpis(SUITE, ["aov_by_channel,tag:geography"])) == ["revenue_by_country", "aov_by_channel"]


def test_tags_match_case_insensitively_names_exactly():
    assert names(select_kpis(SUITE, ["tag:Revenue"])) == ["revenue_by_brand", "revenue_by_country", "aov_by_channel"]


@pytest.mark.parametrize("selector, message", [
    ("nope", "--select nope: no KPI named or matching it; known: aov_by_channel, cancellation_rate, "),
    ("tag:nope", "--select tag:nope: no KPI has this tag; tags: cancellations, channel, geography, product, revenue"),
    ("zzz*", "--select zzz*: no KPI named or matching it"),
    ("tag:", "--select 'tag:': names no tag"),
    (" ", "--select ' ': names no KPI"),
])
def test_a_selector_that_selects_nothing_is_a_usage_error(selector, message):
    # a typo must not quietly select fewer KPIs (CI would go green on less than asked)
    with pytest.raises(UsageError) as caught:
        select_kpis(SUITE, [selector])
    assert caught.value.message.startswith(message), caught.value.message
