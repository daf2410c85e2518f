"""Which class implements an engine in which mode; imported lazily so the CLI stays light.

Each class is constructed as `cls(loaded_config)` and implements `toolkit.engines.base.Engine`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Sequence

from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.engines.base import Engine

ENGINE_NAMES = ("bigquery", "snowflake", "duckdb")  # the KPI-running engines (`--engines`, parity, validate)
# Catalogs fedkit registers the gold tables in but runs no KPI on: adapters `get_engine` builds, never in `all`.
CATALOG_NAMES = ("glue",)
# AWS-native query engines: used only when the config has their section (never in `all` without it).
OPTIONAL_ENGINE_NAMES = ("athena", "redshift")

_IMPLEMENTATIONS: dict[tuple[str, str], str] = {
    ("duckdb", "local"): "toolkit.engines.duckdb:DuckDBEngine",
    ("bigquery", "cloud"): "toolkit.engines.bigquery:BigQueryCloudEngine",
    ("bigquery", "sandbox"): "toolkit.engines.bigquery_sandbox:BigQuerySandboxEngine",
    ("snowflake", "cloud"): "toolkit.engines.snowflake:SnowflakeCloudEngine",
    ("snowflake", "sandbox"): "toolkit.engines.snowflake_sandbox:SnowflakeSandboxEngine",
    ("athena", "cloud"): "toolkit.engines.aws_cloud:AthenaCloudEngine",
    ("athena", "sandbox"): "toolkit.engines.aws_standin:AthenaSandboxEngine",
    ("redshift", "cloud"): "toolkit.engines.aws_cloud:RedshiftCloudEngine",
    ("redshift", "sandbox"): "toolkit.engines.aws_standin:RedshiftSandboxEngine",
    ("glue", "cloud"): "toolkit.engines.glue:GlueCatalog",
    ("glue", "sandbox"): "toolkit.engines.glue:GlueSandboxCatalog",
}


def configured_engines(loaded: "LoadedConfig") -> tuple[str, ...]:
    """What `all` means for a project: DuckDB (local) plus every engine with a section in the config."""
    return tuple(e for e in ENGINE_NAMES + OPTIONAL_ENGINE_NAMES
                 if e == "duckdb" or getattr(loaded.config, e, None) is not None)


def _known(loaded: "LoadedConfig | None") -> tuple[str, ...]:
    """Names `--engines` accepts: the usual three, plus the optional engines the config configures."""
    if loaded is None:
        return ENGINE_NAMES
    return ENGINE_NAMES + tuple(e for e in OPTIONAL_ENGINE_NAMES if getattr(loaded.config, e, None) is not None)


def parse_engines(
    text: "str | Sequence[str] | None", loaded: "LoadedConfig | None" = None, option: str = "--engines"
) -> tuple[str, ...]:
    """`bigquery,snowflake` (or a list) -> engine names, for every command that takes engines.

    Absent or `all`: every engine the config configures (all of them without a config). An empty value is refused:
    `--engines "$UNSET_VAR"` in CI must not quietly run something other than what was asked.
    """
    every = configured_engines(loaded) if loaded is not None else ENGINE_NAMES
    if text is None:
        return every
    parts = [p.strip().lower() for p in (text.split(",") if isinstance(text, str) else text) if p.strip()]
    if not parts:
        shown = text if isinstance(text, str) else ",".join(text)
        raise UsageError(f"{option}: {shown!r} names no engine; use one or more of {', '.join(_known(loaded))}, or all "
                         "(or leave the option out for every configured engine)")
    if parts == ["all"]:
        return every
    for name in parts:
        if name in OPTIONAL_ENGINE_NAMES and name not in _known(loaded):
            raise UsageError(f"{option}: engine {name!r} needs a {name}: section in the config")
        if name not in _known(loaded):
            raise UsageError(f"{option}: unknown engine {name!r}; use one or more of {', '.join(_known(loaded))}, or all")
    return tuple(dict.fromkeys(parts))


def get_engine(name: str, loaded: "LoadedConfig", mode: str | None = None) -> "Engine":
    """The engine `name` for the current mode (sandbox when one is running here, else cloud; DuckDB is local)."""
    from toolkit.sandbox.state import mode as current_mode

    if name not in ENGINE_NAMES + OPTIONAL_ENGINE_NAMES + CATALOG_NAMES:
        known = ENGINE_NAMES + OPTIONAL_ENGINE_NAMES + CATALOG_NAMES
        raise UsageError(f"unknown engine {name!r}; use one of {', '.join(known)}")
    resolved = "local" if name == "duckdb" else (mode or current_mode())
    target = _IMPLEMENTATIONS.get((name, resolved))
    if target is None:
        raise UsageError(f"engine {name!r} has no {resolved} implementation")
    module_name, class_name = target.split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(loaded)
