"""Reference data and dimension tables of the sample gold layer (see `toolkit.gold.sample`).

Everything is built from the static lists below and a numpy Generator, so the same seed gives the same rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# country code -> regions; the weight says how many customers live there.
REGIONS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("US", 0.30, ("California", "Texas", "New York", "Florida", "Illinois", "Washington")),
    ("GB", 0.12, ("England", "Scotland", "Wales", "Northern Ireland")),
    ("DE", 0.12, ("Bavaria", "Berlin", "Hesse", "North Rhine-Westphalia")),
    ("FR", 0.09, ("Île-de-France", "Provence-Alpes-Côte d'Azur", "Auvergne-Rhône-Alpes")),
    ("IN", 0.11, ("Maharashtra", "Karnataka", "Delhi", "Tamil Nadu")),
    ("JP", 0.07, ("Kantō", "Kansai")),
    ("BR", 0.06, ("São Paulo", "Rio de Janeiro")),
    ("CA", 0.07, ("Ontario", "Quebec", "British Columbia")),
    ("AU", 0.06, ("New South Wales", "Victoria")),
)

# (payment_method, payment_type, provider, share of orders)
PAYMENTS: tuple[tuple[str, str, str, float], ...] = (
    ("visa", "card", "Visa", 0.27),
    ("mastercard", "card", "Mastercard", 0.21),
    ("amex", "card", "American Express", 0.06),
    ("paypal", "wallet", "PayPal", 0.15),
    ("apple_pay", "wallet", "Apple", 0.10),
    ("google_pay", "wallet", "Google", 0.06),
    ("bank_transfer", "bank", "SEPA", 0.05),
    ("klarna", "bnpl", "Klarna", 0.05),
    ("gift_card", "voucher", "Store", 0.02),
    ("cash_on_delivery", "cash", "Courier", 0.03),
)

# category -> (typical price in cents, subcategories, brands)
CATEGORIES: tuple[tuple[str, int, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Electronics", 24_900, ("Phones", "Laptops", "Headphones", "Cameras", "Smart Home"), ("Voltra", "Nexon", "Auralis", "Pixelon")),
    ("Home", 5_900, ("Kitchen", "Furniture", "Decor", "Bedding"), ("Casa Nova", "Hearth & Co", "Lumen")),
    ("Apparel", 3_900, ("Shirts", "Shoes", "Dresses", "Outerwear"), ("Northwind", "Urbanite", "Maison Lé")),
    ("Sports", 4_900, ("Fitness", "Outdoor", "Cycling", "Running"), ("Peakline", "Stridex", "Velo")),
    ("Books", 1_600, ("Fiction", "Non-fiction", "Kids", "Comics"), ("Inkwell Press", "Paperleaf")),
    ("Beauty", 2_200, ("Skincare", "Makeup", "Fragrance"), ("Lumière", "Bloom", "Pure Ritual")),
)

FIRST_NAMES = (
    "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Elijah", "Mia", "Lucas", "Aarav", "Priya",
    "Hannah", "Lukas", "Léa", "Hugo", "Yuki", "Haruto", "Ana", "João", "Chloé", "Mateo", "Isla", "Arjun",
)
LAST_NAMES = (
    "Smith", "Johnson", "Brown", "Williams", "Müller", "Schmidt", "Martin", "Bernard", "Sharma", "Patel", "Tanaka",
    "Suzuki", "Silva", "Santos", "Taylor", "Wilson", "Dubois", "Garcia", "O'Brien", "Nguyen", "Kowalski", "Rossi",
)

PRODUCTS_PER_SUBCATEGORY = 18


def zipf_cdf(count: int, exponent: float) -> "np.ndarray":
    """Cumulative Zipf-like weights over `count` ranks (rank 1 most popular); sample with `searchsorted`."""
    import numpy as np

    weights = 1.0 / np.power(np.arange(1, count + 1, dtype=np.float64), exponent)
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


def decimal_array(cents: "np.ndarray", precision: int, valid: "np.ndarray | None" = None) -> "pa.Array":
    """decimal128(precision, 2) straight from integer cents (exact: no float round trip)."""
    import numpy as np
    import pyarrow as pa

    cents = np.ascontiguousarray(cents, dtype=np.int64)
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = cents >> 63  # sign extension of the 128-bit two's complement value
    validity = None if valid is None else pa.array(np.asarray(valid, dtype=bool)).buffers()[1]
    return pa.Array.from_buffers(pa.decimal128(precision, 2), len(cents), [validity, pa.py_buffer(words.tobytes())])


def pick(values: Any, indices: "np.ndarray") -> "pa.Array":
    """values[indices] as an Arrow string (or other) array, without a Python loop."""
    import pyarrow as pa

    return pa.array(list(values)).take(pa.array(indices))


def dim_region() -> "pa.Table":
    import pyarrow as pa

    rows = [(country, region) for country, _, regions in REGIONS for region in regions]
    return pa.table(
        {
            "region_id": pa.array(range(1, len(rows) + 1), pa.int64()),
            "country": pa.array([c for c, _ in rows], pa.string()),
            "region": pa.array([r for _, r in rows], pa.string()),
        }
    )


def dim_payment() -> "pa.Table":
    import pyarrow as pa

    return pa.table(
        {
            "payment_method": pa.array([p[0] for p in PAYMENTS], pa.string()),
            "payment_type": pa.array([p[1] for p in PAYMENTS], pa.string()),
            "provider": pa.array([p[2] for p in PAYMENTS], pa.string()),
        }
    )


def dim_product(rng: "np.random.Generator") -> "pa.Table":
    """Products per (category, subcategory), brands drawn per product, prices log-normal around the category's."""
    import numpy as np
    import pyarrow as pa

    names, brands, categories, subcategories, cents = [], [], [], [], []
    for category, typical, subs, brand_list in CATEGORIES:
        for sub in subs:
            picked = rng.integers(0, len(brand_list), PRODUCTS_PER_SUBCATEGORY)
            models = rng.integers(100, 1000, PRODUCTS_PER_SUBCATEGORY)
            prices = np.round(typical * rng.lognormal(0.0, 0.55, PRODUCTS_PER_SUBCATEGORY) / 100) * 100 - 1
            for brand_index, model, price in zip(picked, models, prices):
                brand = brand_list[int(brand_index)]
                names.append(f"{brand} {sub} {sub[:1].upper()}{int(model)}")
                brands.append(brand)
                categories.append(category)
                subcategories.append(sub)
                cents.append(max(int(price), 99))
    count = len(names)
    return pa.table(
        {
            "product_id": pa.array(np.arange(1, count + 1, dtype=np.int64)),
            "product_name": pa.array(names, pa.string()),
            "brand": pa.array(brands, pa.string()),
            "category": pa.array(categories, pa.string()),
            "subcategory": pa.array(subcategories, pa.string()),
            "list_price": decimal_array(np.array(cents, dtype=np.int64), 10),
        }
    )


def dim_customer(rng: "np.random.Generator", count: int, regions: "pa.Table") -> "pa.Table":
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    region_weights = np.array(
        [weight / len(subs) for _, weight, subs in REGIONS for _ in subs], dtype=np.float64
    )
    region_index = rng.choice(len(region_weights), size=count, p=region_weights / region_weights.sum())
    first = pick(FIRST_NAMES, rng.integers(0, len(FIRST_NAMES), count))
    last = pick(LAST_NAMES, rng.integers(0, len(LAST_NAMES), count))
    gender_index = rng.choice(4, size=count, p=[0.48, 0.47, 0.02, 0.03])  # F, M, X, unknown
    gender = pick(["F", "M", "X", None], gender_index)
    signup_start = np.datetime64("2018-01-01").astype(np.int64)
    signup_end = np.datetime64("2024-10-31").astype(np.int64)
    signup = rng.integers(signup_start, signup_end + 1, count).astype(np.int32)
    return pa.table(
        {
            "customer_id": pa.array(np.arange(1, count + 1, dtype=np.int64)),
            "customer_name": pc.binary_join_element_wise(first, last, " "),
            "gender": gender,
            "birth_year": pa.array(np.clip(np.round(rng.normal(1985, 13, count)), 1940, 2006).astype(np.int32)),
            "country": regions.column("country").take(pa.array(region_index)).combine_chunks(),
            "region_id": regions.column("region_id").take(pa.array(region_index)).combine_chunks(),
            "signup_date": pa.array(signup, pa.int32()).view(pa.date32()),
        }
    )
