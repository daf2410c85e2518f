"""What a parity run found, as plain data: one result per KPI x engine, plus what was compared against what."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from toolkit.sql.parity.compare import Comparison, OrderSpec

if TYPE_CHECKING:
    import pyarrow as pa

    from toolkit.sql.parity.result_types import TypeProblem

# pass: same rows; mismatch: different rows; type-mismatch: same digits, different column types; empty: the same
# vacuous answer everywhere (no rows / only NULLs, proves nothing); timeout: the engine ran past --timeout; error.
STATUSES = ("pass", "mismatch", "type-mismatch", "empty", "timeout", "error")


@dataclass(frozen=True)
class EngineResult:
    kpi: str
    engine: str
    status: str  # one of STATUSES
    rows: int | None = None
    message: str = ""
    comparison: Comparison | None = None
    sql: str | None = None  # the compiled SQL that ran (None when compilation failed)
    seconds: float = 0.0
    types: tuple["TypeProblem", ...] = ()  # columns whose type family differs from the reference's
    interrupted: bool = False  # ran past the budget and was interrupted: its oracle is replaced for the next KPI
    abandoned: bool = False  # ... and did not stop: left to its daemon thread

    def to_json(self) -> dict[str, Any]:
        """The stable shape CI scripts read (`types` only on a type-mismatch)."""
        data: dict[str, Any] = {"kpi": self.kpi, "engine": self.engine, "status": self.status, "rows": self.rows,
                                "message": self.message}
        if self.types:
            data["types"] = [{"column": p.column, "reference": p.reference, "engine": p.engine} for p in self.types]
        return data


@dataclass(frozen=True)
class KpiRun:
    """One KPI's reference run: its rows are what every engine is compared with."""

    name: str
    description: str = ""
    path: str = ""
    order: OrderSpec = OrderSpec()
    reference: "pa.Table | None" = None
    reference_error: str | None = None
    empty: str | None = None  # why the reference is vacuous (no rows / only NULLs), None when it has an answer
    timed_out: bool = False  # the source SQL ran past the time budget
    abandoned: bool = False  # ... and did not stop when interrupted
    seconds: float = 0.0


@dataclass(frozen=True)
class OracleInfo:
    engine: str
    description: str
    independent: bool


@dataclass
class ParityReport:
    engines: tuple[str, ...]
    results: list[EngineResult] = field(default_factory=list)
    kpis: list[KpiRun] = field(default_factory=list)
    oracles: dict[str, OracleInfo] = field(default_factory=dict)
    reference: str = ""  # how the reference rows were produced
    sample: str = ""  # what data was used
    keys: list[dict[str, str]] = field(default_factory=list)  # join keys the sample kept (from, to, kind, source)
    relative_tolerance: float = 1e-9
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.passes()

    def passes(self, allow_empty: bool = False) -> bool:
        """Every result passed (an `empty` one too when `allow_empty`: the user accepts vacuous KPIs)."""
        accepted = ("pass", "empty") if allow_empty else ("pass",)
        return all(r.status in accepted for r in self.results)

    def result(self, kpi: str, engine: str) -> EngineResult | None:
        return next((r for r in self.results if r.kpi == kpi and r.engine == engine), None)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for result in self.results:
            counts[result.status] = counts.get(result.status, 0) + 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {"results": [r.to_json() for r in self.results], "keys": self.keys}

    def notes(self) -> list[str]:
        """Lines every report prints: the reference, the data, the tolerance, and which oracles are independent."""
        lines = [f"reference: {self.reference}", f"data: {self.sample}",
                 f"tolerance: floats relative {self.relative_tolerance:g}; integers and decimals exact; "
                 "rows order-insensitive unless the KPI has a top-level ORDER BY",
                 "types: result columns compared by family (integer, decimal, float, string, date, datetime, "
                 "timestamp...); a change a rule makes on purpose (a DATE truncation stays a DATE) is accepted"]
        if self.keys:
            lines.append("sample keys: " + ", ".join(
                f"{k['from']} {'<->' if k['kind'] == 'many-to-many' else '->'} {k['to']} ({k['source']})"
                for k in self.keys))
        for engine in self.engines:
            info = self.oracles.get(engine)
            if info is not None:
                tag = "independent" if info.independent else "NOT independent"
                lines.append(f"{engine}: {info.description} [{tag}]")
        return lines
