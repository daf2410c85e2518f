"""Which chart and which columns: the header when it declares them, else the ORDER BY and the column types."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from toolkit.errors import UsageError
from toolkit.report.chart_spec import Declared, choose_chart
from toolkit.report.formats import format_value
from toolkit.sql.kpi_files import load_kpi_file

REPO = Path(__file__).resolve().parents[3]
AOV_COLUMNS = ("channel", "orders", "revenue", "average_order_value")
AOV_ROWS = [("app", 115, Decimal("23600.66"), 205.22), ("web", 46, Decimal("10921.85"), 237.43)]


def _declared(name: str) -> Declared:
    kpi = load_kpi_file(REPO / "sql" / "kpi" / f"{name}.sql")
    return Declared.from_header(kpi.header, {k: f"{kpi.path}:{n}" for k, n in kpi.header_lines.items()})


def test_the_shipped_aov_kpi_plots_the_average_order_value_not_revenue():
    spec = choose_chart(AOV_COLUMNS, AOV_ROWS, _declared("aov_by_channel"), kpi="aov_by_channel", order_keys=(0,))
    assert AOV_COLUMNS[spec.y] == "average_order_value" and spec.kind == "bar" and spec.declared
    # without the header, the first decimal column (revenue) is what an automatic choice takes
    assert AOV_COLUMNS[choose_chart(AOV_COLUMNS, AOV_ROWS, kpi="aov_by_channel", order_keys=(0,)).y] == "revenue"


def test_the_value_follows_the_order_by():
    columns = ("brand", "revenue", "cancelled_lines")
    rows = [("a", Decimal("1.50"), 9), ("b", Decimal("9.25"), 4)]
    assert choose_chart(columns, rows, order_keys=(2, 0)).y == 2
    assert choose_chart(columns, rows, order_keys=(0,)).y == 1  # ORDER BY a key only: the first decimal measure


def test_ordering_a_single_row_does_not_choose_the_value():
    columns = ("customers", "repeat_customers", "repeat_customer_rate")
    spec = choose_chart(columns, [(81, Decimal("63"), 0.778)], kpi="repeat_customer_rate", order_keys=(0,))
    assert (spec.kind, columns[spec.y], spec.formats[spec.y]) == ("stat", "repeat_customer_rate", "percent")


def test_a_rate_named_by_the_kpi_is_plotted_as_a_percentage():
    columns = ("payment_method", "lines", "cancelled_lines", "cancellation_rate")
    rows = [("amex", 39, Decimal("7"), 0.1795), ("visa", 53, Decimal("2"), 0.0377)]
    spec = choose_chart(columns, rows, kpi="cancellation_rate_by_payment_method", order_keys=(0,))
    assert columns[spec.y] == "cancellation_rate" and spec.formats[spec.y] == "percent"
    assert format_value(rows[0][3], spec.formats[3]) == "17.9%"


def test_per_customer_bars_are_labelled_by_the_customer_not_the_repeated_country():
    columns = ("customer_id", "country", "cancelled_orders", "cancelled_amount")
    rows = [(61, "IN", 1, Decimal("649.10")), (1036, "IN", 4, Decimal("420.08")), (7, "JP", 2, Decimal("1.00"))]
    spec = choose_chart(columns, rows, order_keys=(3, 0))
    assert columns[spec.y] == "cancelled_amount"
    labels = [" · ".join(format_value(row[i], spec.formats[i]) for i in spec.labels) for row in rows]
    assert len(set(labels)) == len(rows) and labels[1] == "1036 · IN"  # an ID prints without a separator


def test_an_id_gives_way_to_its_name_only_when_names_are_unique():
    columns = ("customer_id", "customer_name", "revenue")
    unique = [(1, "Mia", Decimal("2.00")), (2, "Ana", Decimal("1.00"))]
    same = [(1, "Mia", Decimal("2.00")), (2, "Mia", Decimal("1.00"))]
    assert choose_chart(columns, unique).labels == (1,)
    assert choose_chart(columns, same).labels == (0, 1)


def test_ranks_are_neither_the_value_nor_the_label():
    columns = ("category", "rank_in_category", "product_id", "product_name", "revenue")
    rows = [("Apparel", 1, 164, "Shirt", Decimal("10.00")), ("Apparel", 2, 216, "Dress", Decimal("9.00"))]
    spec = choose_chart(columns, rows, order_keys=(0, 1))
    assert spec.y == 4 and spec.labels == (0, 3)


def test_a_monthly_series_is_a_line_and_its_dates_print_as_dates():
    columns = ("month", "revenue", "mom_growth")
    rows = [(datetime(2024, m, 1, tzinfo=timezone.utc), Decimal("10.00"), 0.1) for m in (1, 2, 3)]
    spec = choose_chart(columns, rows, kpi="monthly_revenue_growth", order_keys=(0,))
    assert (spec.kind, spec.x, spec.y) == ("line", 0, 1)
    assert format_value(rows[0][0], spec.formats[0]) == "2024-01-01"
    assert spec.formats[2] == "percent"


@pytest.mark.parametrize(("columns", "rows", "kind"), [
    (("median", "orders"), [(Decimal("52.7"), 10)], "stat"),
    (("name",), [("a",)], "none"),
    (("a",), [], "none"),
    (("day", "n"), [(date(2024, 1, 1), 3)], "bar"),
])
def test_kind_follows_the_shape(columns, rows, kind):
    assert choose_chart(columns, rows).kind == kind


def test_a_declared_chart_kind_wins():
    rows = [(date(2024, 1, 1), 3), (date(2024, 1, 2), 4)]
    assert choose_chart(("day", "n"), rows, Declared(chart="bar")).kind == "bar"
    assert choose_chart(("day", "n"), rows, Declared(chart="none")).kind == "none"


def test_a_declared_column_that_is_not_in_the_result_names_the_header_line():
    with pytest.raises(UsageError) as caught:
        choose_chart(AOV_COLUMNS, AOV_ROWS, Declared(y="aov", where={"y": "sql/kpi/aov_by_channel.sql:6"}))
    assert caught.value.message.startswith("sql/kpi/aov_by_channel.sql:6: y: 'aov' is not a column of the result")


def test_a_long_bar_chart_caption_counts_rows_with_thousands_separators():
    """The values beside it print 1,648,949.92: the row count reads the same way (83,296, not 83296)."""
    from toolkit.report.charts import build_chart

    rows = [(i, float(100_000 - i)) for i in range(83_296)]
    chart = build_chart("revenue_by_customer", ["customer_id", "revenue"], rows,
                        choose_chart(["customer_id", "revenue"], rows, order_keys=(1,)))
    assert chart.caption == "revenue · first 20 of 83,296 rows"
