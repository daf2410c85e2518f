"""Oracles: one engine's semantics, run in process on in-memory Arrow tables, behind one small interface.

An oracle runs a query written in its engine's dialect over tables given by their bare gold names; the compiled
SQL may call them by their engine-qualified names (`project.dataset.t`, `DB.SCHEMA.T`), which the oracle maps back
(`names`: bare -> qualified, as `toolkit.sql.refs.table_names_for` gives them). Which class serves which engine is
a table, not a branch. `independent` says whether the oracle is a separate implementation of the engine's
semantics (ZetaSQL, DuckDB) or a translation through sqlglot (fakesnow), which parity reports must state.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, ClassVar, Mapping, Protocol

from toolkit.errors import CheckFailed, UsageError

if TYPE_CHECKING:
    import pyarrow as pa

def _oracles() -> dict[str, str]:
    from toolkit.engines.registry import engines_that, traits

    return {name: str(traits(name).oracle) for name in engines_that(lambda t: t.oracle is not None)}


# engine -> "module:Class" of its oracle, as each engine's traits name it (toolkit.engines.traits).
ORACLES: dict[str, str] = _oracles()


class OracleError(CheckFailed):
    """The engine refused or failed the query; the message is the engine's own (first line)."""


class Oracle(Protocol):
    engine: ClassVar[str]  # bigquery | snowflake | duckdb
    independent: ClassVar[bool]
    description: ClassVar[str]  # one line for reports
    # (reference family, engine family) result-type differences this oracle is known to produce where the real
    # engine does not (toolkit.sql.parity.result_types): not reported as type mismatches, and said in `description`
    accepted_types: ClassVar[frozenset[tuple[str, str]]]

    def run(self, sql: str, tables: Mapping[str, "pa.Table"]) -> "pa.Table":
        """Rows of `sql` over `tables` (bare gold names); raises OracleError with the engine's message."""
        ...

    def prepare(self, tables: Mapping[str, "pa.Table"]) -> None:
        """Load `tables` now (fakesnow's load takes seconds), so a KPI's time budget measures only its query."""
        ...

    def interrupt(self) -> None:
        """Stop the `run` in progress on another thread (a time budget ran out); best effort."""
        ...

    def close(self) -> None: ...


def oracle_class(engine: str) -> type:
    target = ORACLES.get(engine)
    if target is None:
        raise UsageError(f"no parity oracle for engine {engine!r}; use one of {', '.join(ORACLES)}")
    module_name, class_name = target.split(":")
    return getattr(importlib.import_module(module_name), class_name)


def make_oracle(engine: str, names: Mapping[str, str] | None = None, **options: object) -> Oracle:
    """The oracle for `engine`; `names` maps bare gold names to the names compiled SQL uses."""
    return oracle_class(engine)(names=dict(names or {}), **options)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


def tables_fingerprint(tables: Mapping[str, "pa.Table"]) -> tuple[tuple[str, int], ...]:
    """Identity of a set of tables (same objects -> no reload)."""
    return tuple(sorted((name, id(table)) for name, table in tables.items()))
