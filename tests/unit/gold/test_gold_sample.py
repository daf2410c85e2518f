"""The sample gold layer: deterministic bytes, exact schemas, joins that work, realistic shapes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from toolkit.errors import UsageError
from toolkit.gold.data import read_table_data
from toolkit.gold import sample as sample_module
from toolkit.gold.sample import SAMPLE_MARKER, day_batches, sample_args, write_sample
from toolkit.gold.schema import read_table


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("sample") / "gold"
    return out, write_sample(out, orders=3000, seed=42)


def _data(root: Path, name: str) -> pa.Table:
    return read_table_data(read_table(str(root / name), name))


def test_same_arguments_give_identical_bytes(tmp_path: Path, sample: tuple[Path, dict[str, int]]) -> None:
    write_sample(tmp_path / "again", orders=3000, seed=42)
    assert _hashes(tmp_path / "again") == _hashes(sample[0])
    write_sample(tmp_path / "other", orders=3000, seed=43)
    assert _hashes(tmp_path / "other") != _hashes(sample[0])


def test_layout_and_summary(sample: tuple[Path, dict[str, int]]) -> None:
    root, summary = sample
    assert sorted(summary) == [
        "amazon_sales_gold", "dim_customer", "dim_payment", "dim_product", "dim_region", "fact_sales",
    ]
    for name in summary:
        if name != "fact_sales":
            assert [p.name for p in (root / name).iterdir()] == ["part-00000.parquet"]
            assert pq.read_metadata(root / name / "part-00000.parquet").num_rows == summary[name]
    months = sorted(p.name for p in (root / "fact_sales").iterdir())
    assert months[0] == "order_month=2022-01-01" and months[-1] == "order_month=2024-12-01" and len(months) == 36
    assert all((root / "fact_sales" / m / "part-00000.parquet").is_file() for m in months)
    assert [p.name for p in root.glob(".*")] == [SAMPLE_MARKER], "no staging folder left behind, only the marker"
    assert summary["fact_sales"] == sum(pq.read_metadata(p).num_rows for p in (root / "fact_sales").rglob("*.parquet"))


def test_fact_sales_schema_is_exact_and_order_month_only_in_folders(sample: tuple[Path, dict[str, int]]) -> None:
    root, _ = sample
    file_schema = pq.read_schema(next((root / "fact_sales").rglob("*.parquet")))
    assert [(f.name, f.type) for f in file_schema] == [
        ("sale_id", pa.int64()),
        ("order_id", pa.string()),
        ("order_ts", pa.timestamp("us", tz="UTC")),
        ("order_date", pa.date32()),
        ("customer_id", pa.int64()),
        ("product_id", pa.int64()),
        ("payment_method", pa.string()),
        ("status", pa.string()),
        ("quantity", pa.int32()),
        ("unit_price", pa.decimal128(10, 2)),
        ("discount_pct", pa.float64()),
        ("amount", pa.decimal128(12, 2)),
        ("channel", pa.string()),
    ]
    table = read_table(str(root / "fact_sales"), "fact_sales")
    assert table.partition_columns == ("order_month",)
    assert table.column("order_month").type.kind == "date"


def test_fact_sales_values_are_consistent(sample: tuple[Path, dict[str, int]]) -> None:
    facts = _data(sample[0], "fact_sales")
    rows = facts.num_rows
    assert pc.count_distinct(facts.column("sale_id")).as_py() == rows
    assert pc.count_distinct(facts.column("order_id")).as_py() == 3000
    assert rows > 3000, "some orders have several lines"
    for row in facts.slice(0, 400).to_pylist():
        assert row["order_date"] == row["order_ts"].date()
        assert row["order_month"] == row["order_date"].replace(day=1)
        exact = row["quantity"] * row["unit_price"] * (1 - Decimal(str(row["discount_pct"])))
        assert row["amount"] == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    dates = facts.column("order_date")
    assert pc.min(dates).as_py() >= dt.date(2022, 1, 1) and pc.max(dates).as_py() <= dt.date(2024, 12, 31)
    assert set(facts.column("status").to_pylist()) == {"Placed", "Shipped", "Delivered", "Cancelled", "Returned"}
    cancelled = pc.sum(pc.equal(facts.column("status"), "Cancelled")).as_py() / rows
    assert 0.05 <= cancelled <= 0.10
    null_payments = facts.column("payment_method").null_count / rows
    assert 0.003 <= null_payments <= 0.025


def test_seasonality_and_skew(sample: tuple[Path, dict[str, int]]) -> None:
    facts = _data(sample[0], "fact_sales")
    month = pc.month(facts.column("order_date")).to_pylist()
    per_month = [month.count(m) for m in range(1, 13)]
    assert per_month[10] > 1.2 * (sum(per_month) / 12) and per_month[11] > 1.2 * (sum(per_month) / 12)
    counts = pc.value_counts(facts.column("product_id")).field("counts").to_pylist()
    top_decile = sum(sorted(counts, reverse=True)[: max(1, len(counts) // 10)])
    assert top_decile > 0.35 * facts.num_rows, "a few products sell most (Zipf-like)"


def test_every_fact_key_joins_to_a_dimension(sample: tuple[Path, dict[str, int]]) -> None:
    root, _ = sample
    facts = _data(root, "fact_sales")
    for key, dim in (("customer_id", "dim_customer"), ("product_id", "dim_product"), ("payment_method", "dim_payment")):
        dimension = _data(root, dim).column(key)
        assert pc.count_distinct(dimension).as_py() == len(dimension), f"{dim}.{key} is unique"
        values = facts.column(key).drop_null()
        assert pc.all(pc.is_in(values, value_set=dimension.combine_chunks())).as_py(), key
    customers = _data(root, "dim_customer")
    regions = _data(root, "dim_region").column("region_id").combine_chunks()
    assert pc.all(pc.is_in(customers.column("region_id"), value_set=regions)).as_py()
    assert customers.column("gender").null_count > 0
    assert customers.schema.field("birth_year").type == pa.int32()
    assert customers.schema.field("signup_date").type == pa.date32()
    assert _data(root, "dim_product").schema.field("list_price").type == pa.decimal128(10, 2)


def test_no_customer_orders_before_signing_up(sample: tuple[Path, dict[str, int]]) -> None:
    root, _ = sample
    facts = _data(root, "fact_sales")
    customers = _data(root, "dim_customer")
    signup = dict(zip(customers.column("customer_id").to_pylist(), customers.column("signup_date").to_pylist()))
    first_order: dict[int, dt.date] = {}
    for customer, day in zip(facts.column("customer_id").to_pylist(), facts.column("order_date").to_pylist()):
        first_order[customer] = min(day, first_order.get(customer, day))
    assert all(signup[customer] <= day for customer, day in first_order.items())
    assert any(signup[customer] == day for customer, day in first_order.items()), "some sign up with their first order"
    assert min(signup.values()) < dt.date(2022, 1, 1), "and some were customers before the sales history starts"


def test_amazon_table_keeps_mixed_case_columns(sample: tuple[Path, dict[str, int]]) -> None:
    amazon = _data(sample[0], "amazon_sales_gold")
    assert [(f.name, f.type) for f in amazon.schema] == [
        ("Order_ID", pa.string()),
        ("Date", pa.date32()),
        ("Status", pa.string()),
        ("Category", pa.string()),
        ("Size", pa.string()),
        ("Qty", pa.int32()),
        ("Amount", pa.decimal128(12, 2)),
        ("ship_city", pa.string()),
        ("ship_state", pa.string()),
        ("ship_country", pa.string()),
        ("B2B", pa.bool_()),
    ]
    assert amazon.column("Amount").null_count > 0
    assert pc.all(pc.match_substring_regex(amazon.column("Order_ID"), r"^\d{3}-\d{7}-\d{7}$")).as_py()
    b2b = pc.sum(amazon.column("B2B")).as_py()
    assert 0 < b2b < 0.05 * amazon.num_rows, "business orders are rare"
    assert set(amazon.column("ship_country").to_pylist()) == {"IN"}
    pending = amazon.filter(pc.starts_with(amazon.column("Status"), "Pending"))
    assert pending.num_rows == 0 or pc.min(pending.column("Date")).as_py() >= dt.date(2024, 12, 17), "only recent orders wait"


def test_regenerating_replaces_the_sample_tables_and_keeps_other_files(tmp_path: Path) -> None:
    out = tmp_path / "gold"
    write_sample(out, orders=2000, seed=1)
    (out / "my_table").mkdir()
    (out / "my_table" / "keep.parquet").write_bytes(b"x")
    summary = write_sample(out, orders=20, seed=1)
    assert (out / "my_table" / "keep.parquet").exists()
    assert read_table(str(out / "fact_sales"), "fact_sales").row_count == summary["fact_sales"]


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="orders must be at least 1"):
        write_sample(tmp_path, orders=0)
    with pytest.raises(UsageError, match="seed"):
        write_sample(tmp_path, seed=-1)


def test_marker_always_describes_the_sample_in_the_folder(tmp_path: Path) -> None:
    """`fedkit gold sample` after `fedkit demo` must not leave the demo's marker claiming the old arguments."""
    out = tmp_path / "gold"
    first = write_sample(out, orders=30, seed=1)
    assert json.loads((out / SAMPLE_MARKER).read_text()) == {"args": sample_args(30, 1), "tables": first}
    second = write_sample(out, orders=40, seed=2)
    assert json.loads((out / SAMPLE_MARKER).read_text()) == {"args": sample_args(40, 2), "tables": second}


def test_unwritable_out_is_one_line_error_and_leaves_the_old_sample(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(UsageError, match=r"a-file/gold: cannot write the sample there: Not a directory"):
        write_sample(blocker / "gold", orders=5)
    with pytest.raises(UsageError, match="exists and is not a folder"):
        write_sample(blocker, orders=5)
    assert blocker.read_text() == "not a folder"


def test_day_batches_cap_orders_and_end_on_day_boundaries() -> None:
    assert day_batches([3, 4, 0, 2, 9, 1], limit=7) == [(0, 3), (3, 4), (4, 5), (5, 6)]
    assert day_batches([0, 0], limit=5) == []
    assert day_batches([5], limit=5) == [(0, 1)]


def test_large_samples_are_written_in_bounded_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory is bounded by BATCH_ORDERS, not --orders: a month or the Amazon table becomes several row groups."""
    monkeypatch.setattr(sample_module, "BATCH_ORDERS", 40)
    root = tmp_path / "gold"
    summary = write_sample(root, orders=3000, seed=7)
    month = root / "fact_sales" / "order_month=2024-11-01" / "part-00000.parquet"
    assert pq.ParquetFile(month).num_row_groups > 1
    assert pq.ParquetFile(root / "amazon_sales_gold" / "part-00000.parquet").num_row_groups > 1
    facts = _data(root, "fact_sales")
    assert facts.num_rows == summary["fact_sales"]
    assert pc.count_distinct(facts.column("sale_id")).as_py() == facts.num_rows
    assert pc.count_distinct(facts.column("order_id")).as_py() == 3000
    in_month = facts.filter(pc.equal(facts.column("order_month"), dt.date(2024, 11, 1)))
    by_id = sorted(zip(in_month.column("order_id").to_pylist(), in_month.column("order_ts").to_pylist()))
    assert [ts for _, ts in by_id] == sorted(ts for _, ts in by_id), "order ids follow time across batches"
    assert _data(root, "amazon_sales_gold").num_rows == summary["amazon_sales_gold"]
    again = tmp_path / "again"
    write_sample(again, orders=3000, seed=7)
    assert _hashes(again) == _hashes(root)
