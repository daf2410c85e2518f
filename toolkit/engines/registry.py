"""Which class implements an engine in which mode; imported lazily so the CLI stays light.

Each class is constructed as `cls(loaded_config)` and implements `toolkit.engines.base.Engine`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Callable, Sequence

from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.engines.base import Engine
    from toolkit.engines.traits import EngineTraits

ENGINE_NAMES = ("bigquery", "snowflake", "duckdb")  # the KPI-running engines (`--engines`, parity, validate)
# Catalogs fedkit registers the gold tables in but runs no KPI on: adapters `get_engine` builds, never in `all`.
CATALOG_NAMES = ("glue",)

_IMPLEMENTATIONS: dict[tuple[str, str], str] = {
    ("duckdb", "local"): "toolkit.engines.duckdb:DuckDBEngine",
    ("bigquery", "cloud"): "toolkit.engines.bigquery:BigQueryCloudEngine",
    ("bigquery", "sandbox"): "toolkit.engines.bigquery_sandbox:BigQuerySandboxEngine",
    ("snowflake", "cloud"): "toolkit.engines.snowflake:SnowflakeCloudEngine",
    ("snowflake", "sandbox"): "toolkit.engines.snowflake_sandbox:SnowflakeSandboxEngine",
    ("glue", "cloud"): "toolkit.engines.glue:GlueCatalog",
    ("glue", "sandbox"): "toolkit.engines.glue:GlueSandboxCatalog",
}

# What holds for an engine in every mode (toolkit.engines.traits): what core code asks instead of `engine == "…"`.
_TRAITS: dict[str, str] = {
    "bigquery": "toolkit.engines.traits.bigquery:BigQueryTraits",
    "snowflake": "toolkit.engines.traits.snowflake:SnowflakeTraits",
    "duckdb": "toolkit.engines.traits.duckdb:DuckDBTraits",
    "glue": "toolkit.engines.traits.glue:GlueTraits",
}
_TRAITS_LOADED: dict[str, "EngineTraits"] = {}


def configured_engines(loaded: "LoadedConfig") -> tuple[str, ...]:
    """What `all` means for a project: DuckDB (local) plus every engine with a section in the config."""
    return engines_that(lambda t: t.local or (t.config_section is not None
                                             and getattr(loaded.config, t.config_section) is not None))


def parse_engines(
    text: "str | Sequence[str] | None", loaded: "LoadedConfig | None" = None, option: str = "--engines"
) -> tuple[str, ...]:
    """`bigquery,snowflake` (or a list) -> engine names, for every command that takes engines.

    Absent or `all`: every engine the config configures (all of them without a config) that runs KPIs; a catalog-only
    engine (traits `runs_kpis = False`) is never one of them. An empty value is refused: `--engines "$UNSET_VAR"` in CI
    must not quietly run something other than what was asked.
    """
    known = configured_engines(loaded) if loaded is not None else ENGINE_NAMES
    every = tuple(e for e in known if traits(e).runs_kpis)
    if text is None:
        return every
    parts = [p.strip().lower() for p in (text.split(",") if isinstance(text, str) else text) if p.strip()]
    if not parts:
        shown = text if isinstance(text, str) else ",".join(text)
        raise UsageError(f"{option}: {shown!r} names no engine; use one or more of {', '.join(ENGINE_NAMES)}, or all "
                         "(or leave the option out for every configured engine)")
    if parts == ["all"]:
        return every
    for name in parts:
        if name not in ENGINE_NAMES:
            raise UsageError(f"{option}: unknown engine {name!r}; use one or more of {', '.join(ENGINE_NAMES)}, or all")
        if not traits(name).runs_kpis:
            raise UsageError(f"{option}: {name} is a catalog, it runs no KPI; name an engine that does")
    return tuple(dict.fromkeys(parts))


def get_engine(name: str, loaded: "LoadedConfig", mode: str | None = None) -> "Engine":
    """The engine `name` for the current mode (sandbox when one is running here, else cloud; DuckDB is local)."""
    from toolkit.sandbox.state import mode as current_mode

    if name not in ENGINE_NAMES + CATALOG_NAMES:
        raise UsageError(f"unknown engine {name!r}; use one of {', '.join(ENGINE_NAMES + CATALOG_NAMES)}")
    resolved = "local" if traits(name).local else (mode or current_mode())
    target = _IMPLEMENTATIONS.get((name, resolved))
    if target is None:
        raise UsageError(f"engine {name!r} has no {resolved} implementation")
    module_name, class_name = target.split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(loaded)


def traits(name: str) -> "EngineTraits":
    """The traits of engine `name` (UsageError for a name that is no engine)."""
    found = _TRAITS_LOADED.get(name)
    if found is None:
        if name not in _TRAITS:
            raise UsageError(f"unknown engine {name!r}; use one of {', '.join(ENGINE_NAMES + CATALOG_NAMES)}")
        module_name, class_name = _TRAITS[name].split(":")
        found = _TRAITS_LOADED[name] = getattr(importlib.import_module(module_name), class_name)()
    return found


def engines_that(predicate: "Callable[[EngineTraits], object]") -> tuple[str, ...]:
    """The engines and catalogs (ENGINE_NAMES, then CATALOG_NAMES) whose traits satisfy `predicate`, e.g.
    `lambda t: t.runs_kpis`."""
    return tuple(name for name in ENGINE_NAMES + CATALOG_NAMES if predicate(traits(name)))
