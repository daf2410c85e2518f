"""What `fedkit sandbox up|status|down` report (plain data; the manager fills it)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ServiceStatus:
    name: str
    title: str
    pid: int | None
    host: str
    port: int | None
    endpoint: str | None
    log: str | None
    running: bool  # the recorded pid runs and is still our server
    healthy: bool  # and it answers on its endpoint

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SandboxStatus:
    state_file: str
    recorded: bool  # sandbox.json exists
    services: list[ServiceStatus] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.recorded and bool(self.services) and all(s.running and s.healthy for s in self.services)

    @property
    def stale(self) -> bool:
        """State recorded, but some recorded server is gone or no longer ours."""
        return self.recorded and not all(s.running for s in self.services)

    def service(self, name: str) -> ServiceStatus | None:
        return next((s for s in self.services if s.name == name), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "running": self.running,
            "stale": self.stale,
            "state_file": self.state_file,
            "services": [s.to_json() for s in self.services],
        }


@dataclass
class UpResult:
    started: bool  # False: it was already up and healthy
    status: SandboxStatus
    messages: list[str] = field(default_factory=list)


@dataclass
class DownResult:
    stopped: list[dict[str, Any]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
