"""The sample gold layer: a small e-commerce star schema plus a denormalised Amazon-style table.

Deterministic (same arguments -> byte-identical files: fixed writer options, fixed file names, no timestamps),
vectorised with numpy, and written in batches of at most BATCH_ORDERS orders (a row group each) so memory stays
flat whatever `orders` is (the old one-month-at-a-time writing grew with it: 322 MB at 3M orders, now 228 MB).

    fact_sales/order_month=2024-01-01/part-00000.parquet   one row per order line, hive-partitioned by month
    dim_customer/ dim_product/ dim_region/ dim_payment/    one part-00000.parquet each
    amazon_sales_gold/part-00000.parquet                   mixed-case column names, kept exactly
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from toolkit.errors import FedkitError, UsageError
from toolkit.gold import sample_dims as dims

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

FIRST_DAY = "2022-01-01"
LAST_DAY = "2024-12-31"
PART = "part-00000.parquet"
SAMPLE_MARKER = ".fedkit-sample.json"  # what the folder holds: {"args": {...}, "tables": {...}}
TABLES = ("amazon_sales_gold", "dim_customer", "dim_payment", "dim_product", "dim_region", "fact_sales")

# Fixed writer options: the same input always gives the same bytes (for one pyarrow version).
WRITER_OPTIONS: dict[str, Any] = {
    "version": "2.6",
    "compression": "snappy",
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
    "row_group_size": 1 << 20,
    "store_schema": True,
}

_MONTH_SEASON = (0.85, 0.80, 0.90, 0.95, 1.00, 0.95, 1.00, 1.00, 0.95, 1.05, 1.45, 1.70)
_HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 9, 10, 9, 8, 8, 9, 10, 12, 14, 14, 12, 8, 4)
_STATUSES = ("Placed", "Shipped", "Delivered", "Cancelled", "Returned")
_STATUS_P = (0.01, 0.04, 0.82, 0.075, 0.055)
_CHANNELS = ("web", "app", "marketplace", "phone")
_CHANNEL_P = (0.46, 0.38, 0.11, 0.05)
_DISCOUNT_BP = (0, 500, 1000, 1500, 2000, 2500, 3000)
_DISCOUNT_P = (0.70, 0.10, 0.08, 0.05, 0.04, 0.02, 0.01)
_DISCOUNT_P_NOVEMBER = (0.40, 0.12, 0.14, 0.12, 0.10, 0.07, 0.05)
_LINES = (1, 2, 3, 4, 5)
_LINES_P = (0.80, 0.12, 0.05, 0.02, 0.01)
# Orders generated and written at once (one Parquet row group each): memory stays flat whatever --orders is.
BATCH_ORDERS = 100_000


def write_sample(out_dir: Path, orders: int = 5000, seed: int = 42) -> dict[str, int]:
    """Write the sample gold layer under `out_dir`; returns {table: rows}. Replaces only the sample's own tables.

    `out_dir/.fedkit-sample.json` (hidden: publish and schema reading skip it) records the arguments of the sample
    now in the folder, so `fedkit demo` knows whether it may skip writing it again.
    """
    if orders < 1:
        raise UsageError(f"orders must be at least 1 (got {orders})")
    if seed < 0:
        raise UsageError(f"seed must be >= 0 (got {seed})")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir} exists and is not a folder")
    staging = out_dir / ".fedkit-sample-tmp"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
        (out_dir / SAMPLE_MARKER).unlink(missing_ok=True)  # a failed write must not look like the previous sample
    except OSError as exc:
        raise UsageError(f"{out_dir}: cannot write the sample there: {exc.strerror or exc}")
    try:
        summary = _write_tables(out_dir, staging, orders, seed)
        marker = {"args": {"orders": orders, "seed": seed}, "tables": summary}
        (out_dir / SAMPLE_MARKER).write_text(json.dumps(marker, indent=2, sort_keys=True) + "\n")
    except OSError as exc:
        raise FedkitError(f"{out_dir}: writing the sample failed: {exc.strerror or exc}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


def _write_tables(out_dir: Path, staging: Path, orders: int, seed: int) -> dict[str, int]:
    import numpy as np

    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]
    regions = dims.dim_region()
    payments = dims.dim_payment()
    products = dims.dim_product(streams[0])
    customers = dims.dim_customer(streams[1], min(200_000, max(100, orders // 5)), regions)
    summary = {name: _write_single(staging, name, table) for name, table in (
        ("dim_region", regions), ("dim_payment", payments), ("dim_product", products),
    )}
    summary["fact_sales"], first_order = _write_fact_sales(staging, streams[2], orders, products, customers.num_rows)
    summary["dim_customer"] = _write_single(staging, "dim_customer", _signed_up_by_first_order(customers, first_order))
    summary["amazon_sales_gold"] = _write_batches(staging / "amazon_sales_gold" / PART, _amazon(streams[3], orders))
    for name in TABLES:  # swap in table by table: a failure above leaves the previous sample untouched
        target = out_dir / name
        if target.exists():
            shutil.rmtree(target)
        (staging / name).rename(target)
    return dict(sorted(summary.items()))


def _write(path: Path, table: "pa.Table") -> None:
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, **WRITER_OPTIONS)


def _write_single(root: Path, name: str, table: "pa.Table") -> int:
    _write(root / name / PART, table)
    return table.num_rows


def _write_batches(path: Path, batches: Iterator["pa.Table"]) -> int:
    """Write tables of one schema to one file, a row group each, holding one batch in memory at a time."""
    import pyarrow.parquet as pq

    options = {key: value for key, value in WRITER_OPTIONS.items() if key != "row_group_size"}
    rows, writer = 0, None
    try:
        for batch in batches:
            if writer is None:
                path.parent.mkdir(parents=True, exist_ok=True)
                writer = pq.ParquetWriter(path, batch.schema, **options)
            writer.write_table(batch, row_group_size=WRITER_OPTIONS["row_group_size"])
            rows += batch.num_rows
    finally:
        if writer is not None:
            writer.close()
    return rows


def day_batches(per_day: "np.ndarray", limit: int | None = None) -> list[tuple[int, int]]:
    """Consecutive day ranges [start, end) of at most `limit` orders each; a busier day is a batch of its own.

    Batches end on day boundaries so that, within a file, order ids keep following time.
    """
    limit = limit or BATCH_ORDERS  # read at call time, so tests can make batches small
    batches: list[tuple[int, int]] = []
    start, count = 0, 0
    for day, orders in enumerate(int(n) for n in per_day):
        if count and count + orders > limit:
            batches.append((start, day))
            start, count = day, 0
        count += orders
    if count:
        batches.append((start, len(per_day)))
    return batches


def _day_weights(rng: "np.random.Generator", days: "np.ndarray") -> "np.ndarray":
    """Growth over the years, Nov/Dec peaks, Black-Friday week, busier weekends, a little daily noise."""
    import numpy as np

    month = days.astype("datetime64[M]").astype(np.int64) % 12
    day_of_month = (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    weekday = (days.astype(np.int64) + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    weights = np.linspace(1.0, 1.6, len(days)) * np.take(_MONTH_SEASON, month)
    weights *= np.where(weekday >= 5, 1.2, 1.0)
    weights *= np.where((month == 10) & (day_of_month >= 24), 1.8, 1.0)
    weights *= np.where((month == 11) & (day_of_month == 25), 0.4, 1.0)
    weights *= rng.lognormal(0.0, 0.1, len(days))
    return weights / weights.sum()


def _choice(rng: "np.random.Generator", p: tuple[float, ...], size: int) -> "np.ndarray":
    import numpy as np

    cdf = np.cumsum(p)
    return np.minimum(np.searchsorted(cdf / cdf[-1], rng.random(size), side="right"), len(p) - 1)


def _signed_up_by_first_order(customers: "pa.Table", first_order: "np.ndarray") -> "pa.Table":
    """A customer cannot order before signing up: move a drawn signup date back to the customer's first order."""
    import numpy as np
    import pyarrow as pa

    drawn = customers.column("signup_date").combine_chunks().view(pa.int32()).to_numpy()
    signup = np.minimum(drawn, first_order[customers.column("customer_id").to_numpy()]).astype(np.int32)
    index = customers.schema.get_field_index("signup_date")
    return customers.set_column(index, "signup_date", pa.array(signup, pa.int32()).view(pa.date32()))


def _write_fact_sales(
    root: Path, rng: "np.random.Generator", orders: int, products: "pa.Table", customers: int
) -> tuple[int, "np.ndarray"]:
    """Write fact_sales month by month in day batches; returns its row count and each customer's first order day."""
    import numpy as np
    import pyarrow as pa

    days = np.arange(np.datetime64(FIRST_DAY), np.datetime64(LAST_DAY) + 1)
    per_day = rng.multinomial(orders, _day_weights(rng, days))
    months = days.astype("datetime64[M]")
    customer_cdf = dims.zipf_cdf(customers, 0.8)
    customer_ids = rng.permutation(customers).astype(np.int64) + 1  # the most active customer is not id 1
    product_cdf = dims.zipf_cdf(products.num_rows, 1.1)
    product_ids = rng.permutation(products.num_rows).astype(np.int64) + 1
    list_cents = _cents(products.column("list_price"))
    last_day = days[-1].astype(np.int64)
    next_order, next_sale, rows = 0, 1, 0
    first_order = np.full(customers + 1, np.iinfo(np.int32).max, dtype=np.int64)  # days since 1970, by customer id

    def month_batches(month_days: "np.ndarray", month_counts: "np.ndarray", november: bool) -> Iterator["pa.Table"]:
        nonlocal next_order, next_sale
        for start, end in day_batches(month_counts):
            day_of_order = np.repeat(month_days[start:end].astype(np.int64), month_counts[start:end])
            batch = _fact_month(
                rng, day_of_order, next_order, next_sale, customer_cdf, customer_ids, product_cdf, product_ids,
                list_cents, last_day, november,
            )
            np.minimum.at(
                first_order,
                batch.column("customer_id").to_numpy(),
                batch.column("order_date").combine_chunks().view(pa.int32()).to_numpy(),
            )
            next_order += len(day_of_order)
            next_sale += batch.num_rows
            yield batch

    for month in np.unique(months):
        in_month = months == month
        if per_day[in_month].sum() == 0:
            continue
        rows += _write_batches(
            root / "fact_sales" / f"order_month={month.astype('datetime64[D]')}" / PART,
            month_batches(days[in_month], per_day[in_month], int(month.astype(np.int64) % 12) == 10),
        )
    return rows, first_order


def _cents(decimals: Any) -> "np.ndarray":
    import numpy as np
    import pyarrow as pa

    array = decimals.combine_chunks() if isinstance(decimals, pa.ChunkedArray) else decimals
    words = np.frombuffer(array.buffers()[1], dtype=np.int64)[array.offset * 2 :][: 2 * len(array)]
    return words[0::2].copy()


def _fact_month(
    rng: "np.random.Generator",
    day_of_order: "np.ndarray",
    first_order: int,
    first_sale: int,
    customer_cdf: "np.ndarray",
    customer_ids: "np.ndarray",
    product_cdf: "np.ndarray",
    product_ids: "np.ndarray",
    list_cents: "np.ndarray",
    last_day: int,
    november: bool,
) -> "pa.Table":
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(day_of_order)
    hour = _choice(rng, _HOUR_WEIGHTS, n)
    micros = (day_of_order * 86_400 + hour * 3_600 + rng.integers(0, 3_600, n)) * 1_000_000
    micros += rng.integers(0, 1_000, n) * 1_000
    micros.sort()  # order ids follow time
    order_day = micros // 86_400_000_000
    order_number = np.arange(first_order + 1, first_order + n + 1, dtype=np.int64)
    customer = customer_ids[np.searchsorted(customer_cdf, rng.random(n), side="right").clip(0, len(customer_ids) - 1)]
    payment = _choice(rng, tuple(p[3] for p in dims.PAYMENTS), n)
    payment_valid = rng.random(n) >= 0.01
    status = _choice(rng, _STATUS_P, n)
    recent = last_day - order_day
    status = np.where((recent < 3) & (status == 2), 0, status)  # not delivered yet
    status = np.where((recent >= 3) & (recent < 8) & (status == 2), 1, status)
    channel = _choice(rng, _CHANNEL_P, n)

    lines = np.take(_LINES, _choice(rng, _LINES_P, n))
    per_line = np.repeat(np.arange(n), lines)
    m = len(per_line)
    product = product_ids[np.searchsorted(product_cdf, rng.random(m), side="right").clip(0, len(product_ids) - 1)]
    quantity = np.minimum(rng.geometric(0.65, m), 8).astype(np.int32)
    price = list_cents[product - 1]
    adjusted = rng.random(m) < 0.15
    price = np.where(adjusted, np.maximum(np.round(price * rng.uniform(0.9, 1.05, m)), 1), price).astype(np.int64)
    discount = np.take(_DISCOUNT_BP, _choice(rng, _DISCOUNT_P_NOVEMBER if november else _DISCOUNT_P, m))
    # amount = round(quantity * unit_price * (1 - discount), 2) in exact integer arithmetic. A price that would land
    # exactly on half a cent moves by one cent, so engines computing in DOUBLE round the same way (no ties).
    scaled = quantity.astype(np.int64) * price * (10_000 - discount)
    while (ties := scaled % 10_000 == 5_000).any():
        price = np.where(ties, price + 1, price)
        scaled = quantity.astype(np.int64) * price * (10_000 - discount)
    amount = (scaled + 5_000) // 10_000

    order_id = pc.binary_join_element_wise(
        "ORD-", pc.utf8_lpad(pc.cast(pa.array(order_number[per_line]), pa.string()), width=9, padding="0"), ""
    )
    return pa.table(
        {
            "sale_id": pa.array(np.arange(first_sale, first_sale + m, dtype=np.int64)),
            "order_id": order_id,
            "order_ts": pa.array(micros[per_line], pa.int64()).view(pa.timestamp("us", tz="UTC")),
            "order_date": pa.array(order_day[per_line].astype(np.int32), pa.int32()).view(pa.date32()),
            "customer_id": pa.array(customer[per_line]),
            "product_id": pa.array(product),
            "payment_method": _masked(dims.pick([p[0] for p in dims.PAYMENTS], payment[per_line]), payment_valid[per_line]),
            "status": dims.pick(_STATUSES, status[per_line]),
            "quantity": pa.array(quantity),
            "unit_price": dims.decimal_array(price, 10),
            "discount_pct": pa.array(discount / 10_000.0),
            "amount": dims.decimal_array(amount, 12),
            "channel": dims.pick(_CHANNELS, channel[per_line]),
        }
    )


def _masked(values: "pa.Array", valid: "np.ndarray") -> "pa.Array":
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.if_else(pa.array(valid), values, pa.scalar(None, values.type))


# -- the denormalised Amazon-style table ---------------------------------------------------------------------------
_AMZ_STATUS = (
    "Shipped", "Shipped - Delivered to Buyer", "Cancelled", "Shipped - Returned to Seller", "Shipped - Picked Up",
    "Pending", "Pending - Waiting for Pick Up",
)
_AMZ_STATUS_P = (0.58, 0.23, 0.13, 0.02, 0.01, 0.02, 0.01)
_AMZ_CATEGORY = (
    ("Set", 79_900), ("kurta", 44_900), ("Western Dress", 74_900), ("Top", 52_900), ("Ethnic Dress", 72_900),
    ("Blouse", 49_900), ("Bottom", 35_900), ("Saree", 79_900), ("Dupatta", 30_500),
)
_AMZ_CATEGORY_P = (0.39, 0.38, 0.12, 0.08, 0.01, 0.007, 0.003, 0.0005, 0.0005)
_AMZ_SIZE = ("XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL", "5XL", "6XL", "Free")
_AMZ_SIZE_P = (0.09, 0.13, 0.17, 0.17, 0.16, 0.14, 0.11, 0.01, 0.005, 0.005, 0.01)
_AMZ_CITIES = (
    ("BENGALURU", "KARNATAKA"), ("HYDERABAD", "TELANGANA"), ("MUMBAI", "MAHARASHTRA"), ("NEW DELHI", "DELHI"),
    ("CHENNAI", "TAMIL NADU"), ("PUNE", "MAHARASHTRA"), ("KOLKATA", "WEST BENGAL"), ("GURUGRAM", "HARYANA"),
    ("THANE", "MAHARASHTRA"), ("LUCKNOW", "UTTAR PRADESH"), ("NOIDA", "UTTAR PRADESH"), ("AHMEDABAD", "GUJARAT"),
    ("JAIPUR", "RAJASTHAN"), ("KOCHI", "KERALA"), ("BHUBANESWAR", "ODISHA"), ("GUWAHATI", "ASSAM"),
)


def _amazon(rng: "np.random.Generator", orders: int) -> Iterator["pa.Table"]:
    """The Amazon-style table in day-ordered batches of at most BATCH_ORDERS orders (one fifth of `orders`)."""
    import numpy as np

    days = np.arange(np.datetime64(FIRST_DAY), np.datetime64(LAST_DAY) + 1).astype(np.int64)
    per_day = rng.multinomial(max(80, orders // 5), _day_weights(rng, days.astype("datetime64[D]")))
    for start, end in day_batches(per_day):
        yield _amazon_batch(rng, np.repeat(days[start:end], per_day[start:end]))


def _amazon_batch(rng: "np.random.Generator", order_day: "np.ndarray") -> "pa.Table":
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n_orders = len(order_day)
    lines = np.take((1, 2, 3), _choice(rng, (0.9, 0.08, 0.02), n_orders))
    per_line = np.repeat(np.arange(n_orders), lines)
    m = len(per_line)
    parts = [rng.integers(low, high, n_orders) for low, high in ((171, 409), (0, 10_000_000), (0, 10_000_000))]
    texts = [pc.utf8_lpad(pc.cast(pa.array(p[per_line]), pa.string()), width=w, padding="0") for p, w in zip(parts, (3, 7, 7))]
    status = _choice(rng, _AMZ_STATUS_P, n_orders)
    # Pending (5, 6) only in the last two weeks of the history: an order from 2022 has shipped long ago.
    old = (np.datetime64(LAST_DAY).astype(np.int64) - order_day) > 14
    status = np.where(old & (status >= 5), 0, status)[per_line]
    category = _choice(rng, _AMZ_CATEGORY_P, m)
    cancelled = status == 2
    qty = np.where(cancelled & (rng.random(m) < 0.85), 0, np.minimum(rng.geometric(0.93, m), 4)).astype(np.int32)
    base = np.take([c[1] for c in _AMZ_CATEGORY], category)
    amount = np.round(base * rng.lognormal(0.0, 0.3, m) / 100).astype(np.int64) * 100 * np.maximum(qty, 1)
    amount_valid = ~(cancelled & (rng.random(m) < 0.45))
    city = np.searchsorted(dims.zipf_cdf(len(_AMZ_CITIES), 0.9), rng.random(n_orders), side="right")[per_line]
    city = city.clip(0, len(_AMZ_CITIES) - 1)
    return pa.table(
        {
            "Order_ID": pc.binary_join_element_wise(*texts, "-"),
            "Date": pa.array(order_day[per_line].astype(np.int32), pa.int32()).view(pa.date32()),
            "Status": dims.pick(_AMZ_STATUS, status),
            "Category": dims.pick([c[0] for c in _AMZ_CATEGORY], category),
            "Size": dims.pick(_AMZ_SIZE, _choice(rng, _AMZ_SIZE_P, m)),
            "Qty": pa.array(qty),
            "Amount": dims.decimal_array(amount, 12, amount_valid),
            "ship_city": dims.pick([c[0] for c in _AMZ_CITIES], city),
            "ship_state": dims.pick([c[1] for c in _AMZ_CITIES], city),
            "ship_country": pa.array(["IN"] * m, pa.string()),
            "B2B": pa.array((rng.random(n_orders) < 0.007)[per_line]),
        }
    )
