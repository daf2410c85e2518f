"""Benchmark: the median order value on DuckDB, hand-written ROW_NUMBER median vs the shipped KPI (`median()`).

    python -m bench median              # or: python bench/median.py [--rows N] [--repeat R]

One process, one DuckDB connection, one generated `fact_sales` table of `--rows` order lines (default 10 M;
about 1.33 lines per order, 5 % cancelled, DECIMAL(12, 2) amounts, deterministic). Both queries are compiled by
fedkit for DuckDB from the DuckDB source, as `fedkit kpi run --engine duckdb` does:
- hand-written: the portable median fedkit shipped while BigQuery had no exact median (ROW_NUMBER() over all orders,
  COUNT(*) OVER (), AVG of the middle one or two);
- shipped: sql/kpi/median_order_value.sql as it is now.
Each runs once to warm up, then the best of `--repeat` runs is kept, sides alternating. Prints both times, the
ratio hand-written / shipped, and checks that both return the same median. The whole KPI includes the GROUP BY
order_id that both share, so the median step alone is timed too (the same two medians over a materialised
`orders` table). Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "sql" / "kpi" / "median_order_value.sql"
HAND_WRITTEN = """\
WITH orders AS (
  SELECT order_id, SUM(amount) AS order_value
  FROM {{ ref('fact_sales') }}
  WHERE status <> 'Cancelled'
  GROUP BY order_id
),
ranked AS (
  SELECT
    order_value,
    ROW_NUMBER() OVER (ORDER BY order_value, order_id) AS position,
    COUNT(*) OVER () AS orders
  FROM orders
)
SELECT
  AVG(order_value) AS median_order_value,
  MAX(orders) AS orders
FROM ranked
WHERE position IN (FLOOR((orders + 1) / 2), CEIL((orders + 1) / 2))
ORDER BY median_order_value
"""
_REF = re.compile(r"\{\{\s*ref\(\s*'(\w+)'\s*\)\s*\}\}")


def generate(con, rows: int) -> None:
    """`fact_sales(order_id, amount, status)`: about 1.33 lines per order, amounts 0.00-999.99, 5 % cancelled."""
    con.execute(f"""
        CREATE TABLE fact_sales AS
        SELECT 'O' || lpad(CAST(i * 3 // 4 AS VARCHAR), 10, '0') AS order_id,
               CAST((hash(i) % 100000) / 100 AS DECIMAL(12, 2)) AS amount,
               CASE WHEN hash(i + {rows}) % 20 = 0 THEN 'Cancelled' ELSE 'Delivered' END AS status
        FROM range({int(rows)}) AS t(i)""")


def compiled(text: str) -> str:
    """The KPI text compiled by fedkit for DuckDB (refs rendered to the bare table name)."""
    from toolkit.gold.model import Column, GoldCatalog, GoldTable
    from toolkit.sql.compile import compile_query
    from toolkit.types import LogicalType

    catalog = GoldCatalog((GoldTable("fact_sales", "fact_sales", (
        Column("order_id", LogicalType("string")), Column("amount", LogicalType("decimal", 12, 2)),
        Column("status", LogicalType("string")))),))
    source = _REF.sub(lambda m: m.group(1), text)
    return compile_query(source, source_dialect="duckdb", engine="duckdb", catalog=catalog).sql


MEDIAN_STEP = {  # the median alone, over the orders already summed
    "hand-written": ("SELECT AVG(order_value), MAX(orders) FROM (SELECT order_value, ROW_NUMBER() OVER (ORDER BY "
                     "order_value, order_id) AS position, COUNT(*) OVER () AS orders FROM orders) "
                     "WHERE position IN (FLOOR((orders + 1) / 2), CEIL((orders + 1) / 2))"),
    "shipped": "SELECT median(CAST(order_value AS DOUBLE)), COUNT(*) FROM orders",
}


def best_times(con, queries: dict[str, str], repeat: int) -> tuple[dict[str, float], dict[str, list]]:
    best = {name: math.inf for name in queries}
    answers = {name: con.sql(sql).fetchall() for name, sql in queries.items()}  # warm up
    for attempt in range(repeat):
        order = list(queries) if attempt % 2 == 0 else list(queries)[::-1]
        for name in order:
            started = time.perf_counter()
            con.sql(queries[name]).fetchall()
            best[name] = min(best[name], time.perf_counter() - started)
    return best, answers


def run(rows: int, repeat: int) -> dict:
    import duckdb

    con = duckdb.connect(":memory:")
    started = time.perf_counter()
    generate(con, rows)
    setup = time.perf_counter() - started
    kpi = {"hand-written": compiled(HAND_WRITTEN), "shipped": compiled(SHIPPED.read_text())}
    best, answers = best_times(con, kpi, repeat)
    con.execute("CREATE TABLE orders AS SELECT order_id, SUM(amount) AS order_value FROM fact_sales "
                "WHERE status <> 'Cancelled' GROUP BY order_id")
    step_best, step_answers = best_times(con, MEDIAN_STEP, repeat)
    con.close()
    return {"rows": rows, "repeat": repeat, "setup_s": setup, "best_s": best, "answers": answers,
            "ratio": best["hand-written"] / best["shipped"], "step_best_s": step_best,
            "step_answers": step_answers, "step_ratio": step_best["hand-written"] / step_best["shipped"]}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench median", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="order lines to generate (default 10 M)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per query; the best is kept")
    args = parser.parse_args(argv)
    report = run(args.rows, args.repeat)
    print(f"median order value on DuckDB over {report['rows']:,} order lines "
          f"(generated in {report['setup_s']:.1f} s; best of {report['repeat']}, one process)")
    for name, seconds in report["best_s"].items():
        print(f"  {name:13} {seconds * 1000:9.1f} ms   -> {report['answers'][name]}")
    print(f"ratio hand-written / shipped (whole KPI): {report['ratio']:.1f}x")
    for name, seconds in report["step_best_s"].items():
        print(f"  {name:13} {seconds * 1000:9.1f} ms   (median step only)")
    print(f"ratio hand-written / shipped (median step only): {report['step_ratio']:.1f}x")
    for answers in (report["answers"], report["step_answers"]):
        (hand,), (shipped,) = answers["hand-written"], answers["shipped"]
        if not math.isclose(float(hand[0]), float(shipped[0]), rel_tol=1e-12) or hand[1] != shipped[1]:
            print(f"the two medians disagree: {hand} vs {shipped}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main(sys.argv[1:]))
