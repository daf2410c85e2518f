"""The typed grammar's state: the columns in scope, the seeded random stream, the gaps left out, and the constructs
used (which is how coverage is measured). `expr(kind, depth)` builds an expression of one kind from the typed
productions (productions.py), so a generated query is valid DuckDB by construction.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toolkit.sql.fuzz.data import STRINGS
from toolkit.sql.fuzz.productions import GENERIC, NEEDS_TABLES, PRODUCTIONS, date_trunc
from toolkit.sql.fuzz.templates import ORDERABLE, fill, tag

if TYPE_CHECKING:
    from sqlglot import exp


@dataclass(frozen=True)
class ScopeColumn:
    alias: str
    name: str
    kind: str


@dataclass
class Grammar:
    rng: random.Random
    columns: tuple[ScopeColumn, ...]
    gaps: frozenset[str] = frozenset()
    used: Counter = field(default_factory=Counter)
    in_division: int = 0  # > 0 while generating the operands of a `/`
    # catalog tables a subquery may read: (name, ((column, kind), ...)); empty inside a subquery (none nested)
    tables: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    aliases: list[int] = field(default_factory=lambda: [0])  # the next subquery alias number, shared with subqueries

    # -- leaves ------------------------------------------------------------------------------------------------
    def column(self, kind: str) -> "exp.Expression | None":
        from sqlglot import exp

        choices = [c for c in self.columns if c.kind == kind]
        if not choices:
            return None
        chosen = self.rng.choice(choices)
        return tag(exp.column(chosen.name, table=chosen.alias), kind)

    def literal(self, kind: str) -> "exp.Expression":
        rng = self.rng
        if kind == "int":
            return tag(fill(str(rng.choice((0, 1, 2, 3, 7, -1, 10, 25)))), kind)
        if kind == "dec":
            value = rng.choice(("0.05", "1.50", "12.25", "-3.10", "100.00"))
            if "decimal_literal" not in self.gaps:
                self.used["decimal_literal"] += 1
                return tag(fill(value), kind)
            self.used["cast"] += 1
            return tag(fill(f"CAST('{value}' AS DECIMAL(12, 2))"), kind)
        if kind == "float":
            return tag(fill(f"CAST('{rng.choice(('0.25', '0.5', '1.5', '-2.25', '0.1'))}' AS DOUBLE)"), kind)
        if kind == "str":
            from sqlglot import exp

            return tag(exp.Literal.string(rng.choice(STRINGS)), kind)
        if kind in ("date", "trunc"):
            return tag(fill(f"DATE '{rng.choice(('2023-12-31', '2024-01-01', '2024-02-29', '2024-01-15'))}'"), kind)
        if kind == "ts":
            return tag(fill(f"CAST('{rng.choice(('2024-01-01 00:00:00', '2023-12-31 23:30:00'))}+00' AS TIMESTAMPTZ)"),
                       kind)
        return tag(fill(rng.choice(("TRUE", "FALSE"))), kind)

    def null(self, kind: str) -> "exp.Expression":
        self.used["null_literal"] += 1
        types = {"int": "INTEGER", "dec": "DECIMAL(12, 2)", "float": "DOUBLE", "str": "VARCHAR", "date": "DATE",
                 "ts": "TIMESTAMPTZ", "bool": "BOOLEAN"}
        return tag(fill(f"CAST(NULL AS {types[kind]})"), kind)

    def leaf(self, kind: str) -> "exp.Expression":
        draw = self.rng.random()
        if draw < 0.04:
            return self.null(kind)
        if kind == "bool" and draw < 0.6:  # a bare TRUE says little: compare a column with a value instead
            self.used["comparison"] += 1
            operand = self.rng.choice(ORDERABLE)
            op = self.rng.choice(("=", "<>", "<", "<=", ">", ">="))
            return tag(fill(f"__a {op} __b", a=self.column(operand) or self.literal(operand),
                            b=self.literal(operand)), kind)
        column = self.column(kind) if draw < 0.8 else None
        return column if column is not None else self.literal(kind)

    # -- expressions -------------------------------------------------------------------------------------------
    def expr(self, kind: str, depth: int) -> "exp.Expression":
        if kind == "trunc":  # a truncated DATE, selected or grouped as KPIs do (as a `ts`, it is read as a timestamp)
            self.used["date_trunc"] += 1
            return tag(date_trunc(self, kind, max(depth - 1, 0)), kind)
        if depth <= 0 or self.rng.random() < 0.3:
            return self.leaf(kind)
        productions = PRODUCTIONS[kind] + GENERIC
        if self.in_division and kind == "dec" and "round_in_division" in self.gaps:
            productions = [p for p in productions if p[0] != "round"]
        productions = [p for p in productions if p[0] not in self.gaps and (self.tables or p[0] not in NEEDS_TABLES)]
        name, production = self.rng.choice(productions)
        self.used[name] += 1
        return tag(production(self, kind, depth - 1), kind)

    def _template(self, construct: str, template: str, kind: str, **operands: "exp.Expression") -> "exp.Expression":
        self.used[construct] += 1
        return tag(fill(template, **operands), kind)


