"""Which class implements an engine in which mode; imported lazily so the CLI stays light.

Each class is constructed as `cls(loaded_config)` and implements `toolkit.engines.base.Engine`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.engines.base import Engine

ENGINE_NAMES = ("bigquery", "snowflake", "duckdb")

_IMPLEMENTATIONS: dict[tuple[str, str], str] = {
    ("duckdb", "local"): "toolkit.engines.duckdb:DuckDBEngine",
    ("bigquery", "cloud"): "toolkit.engines.bigquery:BigQueryCloudEngine",
    ("bigquery", "sandbox"): "toolkit.engines.bigquery_sandbox:BigQuerySandboxEngine",
    ("snowflake", "cloud"): "toolkit.engines.snowflake:SnowflakeCloudEngine",
    ("snowflake", "sandbox"): "toolkit.engines.snowflake_sandbox:SnowflakeSandboxEngine",
}


def configured_engines(loaded: "LoadedConfig") -> tuple[str, ...]:
    """What `all` means for a project: DuckDB (local) plus every engine with a section in the config."""
    return tuple(e for e in ENGINE_NAMES if e == "duckdb" or getattr(loaded.config, e) is not None)


def parse_engines(text: str) -> list[str]:
    """`bigquery,snowflake` or `all` -> a list of engine names; UsageError names an unknown one."""
    names = list(ENGINE_NAMES) if text.strip().lower() in ("all", "") else [p.strip().lower() for p in text.split(",")]
    for name in names:
        if name not in ENGINE_NAMES:
            raise UsageError(f"--engines: unknown engine {name!r}; use one or more of {', '.join(ENGINE_NAMES)}")
    return names


def get_engine(name: str, loaded: "LoadedConfig", mode: str | None = None) -> "Engine":
    """The engine `name` for the current mode (sandbox when one is running here, else cloud; DuckDB is local)."""
    from toolkit.sandbox.state import mode as current_mode

    if name not in ENGINE_NAMES:
        raise UsageError(f"unknown engine {name!r}; use one of {', '.join(ENGINE_NAMES)}")
    resolved = "local" if name == "duckdb" else (mode or current_mode())
    target = _IMPLEMENTATIONS.get((name, resolved))
    if target is None:
        raise UsageError(f"engine {name!r} has no {resolved} implementation")
    module_name, class_name = target.split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(loaded)
