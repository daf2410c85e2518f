"""The sandbox's servers as data: how each is started and how its process is recognised again (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServiceSpec:
    name: str  # key in sandbox.json
    title: str  # for people
    module: str  # run as `python -m MODULE`
    port_flag: str

    def argv(self, python: str, host: str, port: int, data_dir: Path | None = None) -> list[str]:
        args = [python, "-m", self.module, "-H" if self.name == "moto" else "--host", host, self.port_flag, str(port)]
        if data_dir is not None:
            args += ["--db-path", str(data_dir)]
        return args

    def markers(self, port: int) -> tuple[str, ...]:
        """Substrings the process's command line must hold for it to be ours (pid reuse guard)."""
        return (self.module, f"{self.port_flag} {port}")

    def endpoint(self, host: str, port: int) -> str:
        return f"http://{host}:{port}"


MOTO = ServiceSpec(name="moto", title="moto (AWS)", module="moto.server", port_flag="-p")
FAKESNOW = ServiceSpec(name="fakesnow", title="fakesnow (Snowflake)", module="toolkit.sandbox.fakesnow_main", port_flag="--port")
SERVICES: tuple[ServiceSpec, ...] = (MOTO, FAKESNOW)
