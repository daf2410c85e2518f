"""Which footers a plan reads: a bounded, deterministic sample per partition, so the cost of `plan` does not grow
with the number of files.

Per partition (files sharing their hive `key=value` folders): the newest file (the one a writer added last, the likeliest
to carry a schema change) plus `PER_PARTITION - 1` files picked by a hash of their key (the same ones every run, so a
warm footer cache answers for them). At most `PER_TABLE` footers per table: partitions whose newest file is newest
come first. Files already in the footer cache under their current ETag are checked too, at no cost.

What the sample cannot catch: a file that is neither the newest of its partition nor hashed into the sample (nor cached)
and whose schema differs from the others, or whose footer is corrupt although its size is plausible. The engines find
those (BigQuery fails the query that reads the file, Snowflake's external table reports it on refresh); `plan` does
not. Every listed file still gets the checks a listing allows without a read: the partition folders, the name, and a
size too small for any Parquet file (zero bytes included).
"""

from __future__ import annotations

import hashlib
from typing import Any, Sequence, TypeVar

PER_PARTITION = 2
PER_TABLE = 128

F = TypeVar("F")


def footer_sample(files: Sequence[F], per_partition: int = PER_PARTITION, per_table: int = PER_TABLE) -> list[F]:
    """The files whose footers to read (each has `.path`, `.partitions`, `.modified`), sorted by path."""
    groups: dict[Any, list[Any]] = {}
    for file in files:
        groups.setdefault(getattr(file, "partitions"), []).append(file)
    ranked = []  # (newest file, the others in hash order), partitions with the newest file first
    for members in groups.values():
        latest = max(members, key=_recency)
        ranked.append((latest, sorted((f for f in members if f is not latest), key=lambda f: _spread(f.path))))
    ranked.sort(key=lambda group: _recency(group[0]), reverse=True)
    picked = [latest for latest, _ in ranked]
    for depth in range(max(0, per_partition - 1)):  # round by round: every partition's second file before any third
        picked += [others[depth] for _, others in ranked if len(others) > depth]
    return sorted(picked[:per_table], key=lambda f: f.path)


def _recency(file: Any) -> tuple[float, str]:
    return (file.modified or 0.0, file.path)


def _spread(path: str) -> str:
    """A stable pseudo-random order (not Python's salted hash: the sample must be the same in every process)."""
    return hashlib.sha256(path.encode("utf-8")).hexdigest()
