"""What a parity run found, as plain data: one result per KPI x engine, plus what was compared against what."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from toolkit.sql.parity.compare import Comparison, OrderSpec

if TYPE_CHECKING:
    import pyarrow as pa

STATUSES = ("pass", "mismatch", "error")


@dataclass(frozen=True)
class EngineResult:
    kpi: str
    engine: str
    status: str  # pass | mismatch | error
    rows: int | None = None
    message: str = ""
    comparison: Comparison | None = None
    sql: str | None = None  # the compiled SQL that ran (None when compilation failed)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """The stable shape CI scripts read."""
        return {"kpi": self.kpi, "engine": self.engine, "status": self.status, "rows": self.rows,
                "message": self.message}


@dataclass(frozen=True)
class KpiRun:
    """One KPI's reference run: its rows are what every engine is compared with."""

    name: str
    description: str = ""
    path: str = ""
    order: OrderSpec = OrderSpec()
    reference: "pa.Table | None" = None
    reference_error: str | None = None


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
        return all(r.status == "pass" for r in self.results)

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
                 "rows order-insensitive unless the KPI has a top-level ORDER BY"]
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
