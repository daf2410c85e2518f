"""What fedkit's core needs to know about an engine, as class constants and small hooks (STYLE.md, SQLMesh's adapters).

The engine adapters (`toolkit.engines.<engine>`) talk to an engine in one mode; an engine's traits say what holds in
every mode: which config section it needs, how it spells and folds names, how it reports column types, which parity
oracle stands in for it, how `validate` checks SQL for it. Core code asks `toolkit.engines.registry.traits(name)`
instead of branching on the engine's name (tests/unit/test_architecture.py keeps it that way). Nothing here imports a
heavy library at module level: `fedkit --help` imports the registry.

Adding an engine: a traits class here (one module per engine), its adapters beside it, both named in
toolkit.engines.registry, its rules table, its DDL templates, its column of the type map and its config section.
A catalog-only engine (it registers tables, runs no KPI) sets `runs_kpis = False` and no `oracle`: KPI commands
(`--engines`, parity, validate's KPI checks) leave it out. One that registers through DDL sets `registers_tables =
True`: `registration_ddl`, `describe_target`, `table_resource`, `stored_name`, `normalize_type`, `ddl_templates`,
`table_object` and `ddl_problem` are what registration, drift, orphans, `gold schema` and `validate`'s DDL check ask
it. One that registers through its API (the Glue Data Catalog) sets `registers_by_api = True` instead: its own
registration target plans the calls, `gold schema` shows its column of the type map, nothing asks it for DDL.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, ClassVar

if TYPE_CHECKING:
    from toolkit.config import Config, LoadedConfig
    from toolkit.gold.model import GoldCatalog
    from toolkit.planning.pipeline import Context
    from toolkit.planning.where import CloudTarget
    from toolkit.sql.validate.files import FileValidator
    from toolkit.sql.validate.model import Problem


class EngineTraits:
    name: ClassVar[str]
    title: ClassVar[str]  # how reports and tables name it
    # The config section the engine needs (`bigquery:`), None for an engine that needs none (DuckDB is local).
    config_section: ClassVar[str | None] = None
    local: ClassVar[bool] = False  # runs in process, the same in every mode (no cloud and sandbox adapters)
    aws_service: ClassVar[bool] = False  # a service of fedkit's own AWS account: its plan target line is the AWS one
    # fedkit registers the gold tables on it (`gold inspect` shows its column types, `validate` checks its DDL).
    registers_tables: ClassVar[bool] = False
    # fedkit registers the gold tables in it through its API, not DDL (the Glue Data Catalog): `gold schema` shows its
    # column types; it has no DDL, templates, DDL check or plan target line of its own (`registers_tables` has them).
    registers_by_api: ClassVar[bool] = False
    runs_kpis: ClassVar[bool] = True
    # Used only when the config has its section: never in the engines of a command run without a config.
    optional: ClassVar[bool] = False
    # What `validate` cannot check offline on this engine, said once per run (None: nothing worth saying).
    offline_limits: ClassVar[str | None] = None
    oracle: ClassVar[str | None] = None  # "module:Class" of its parity oracle (toolkit.sql.parity.oracle)
    # Registration bookkeeping: the plan's resource kind of a registered gold table, and the label (key, value) a table
    # must also carry to be fedkit's (besides the marker in its description/comment), where the engine has labels.
    table_resource: ClassVar[str | None] = None
    ownership_label: ClassVar[tuple[str, str] | None] = None
    # Columns every external table reports that no Parquet has (never drift).
    pseudo_columns: ClassVar[frozenset[str]] = frozenset()
    # Reported type spelling -> canonical spelling, for the drift check (upper case, no spaces).
    type_aliases: ClassVar[dict[str, str]] = {}
    # `validate`: a KPI written in this dialect also goes through the engine's own parser, offline (`native_parse`).
    parses_natively: ClassVar[bool] = False
    # `validate`: its offline check is mostly Python (it holds the GIL against compiling and the other engines' lanes),
    # so a run of several files checks it in a worker process of its own (toolkit.sql.validate.worker).
    validates_in_worker: ClassVar[bool] = False
    # ... and the modules that worker imports as it starts, before its checker arrives (its slowest imports).
    worker_preload: ClassVar[tuple[str, ...]] = ()
    # `validate`: registration object kind (the prefix of `registration_ddl`'s names) -> its template under
    # sql/ddl/<engine>/, so a finding in rendered DDL points at the template line.
    ddl_templates: ClassVar[dict[str, str]] = {}

    # -- names --------------------------------------------------------------------------------------------------------
    def stored_name(self, name: str) -> str:
        """The name the engine stores for an identifier fedkit writes as `name` (case-folding engines change it)."""
        return name

    def column_problem(self, table: str, column: Any) -> str | None:
        """Why the engine's external tables cannot read this gold column by its name (None: they can)."""
        return None

    def table_name(self, table: str, config: "Config") -> str | None:
        """How compiled KPI SQL names gold table `table` on this engine (None: the config lacks its section)."""
        raise NotImplementedError(f"{self.name} runs no KPI")

    # -- registration (engines with `registers_tables`) ----------------------------------------------------------------
    def registration_ddl(self, loaded: "LoadedConfig", catalog: "GoldCatalog") -> list[tuple[str, str]]:
        """[(object name, DDL)] that registers `catalog` from nothing, in execution order (`ddl.render_all`)."""
        raise NotImplementedError(f"{self.name} registers no tables")

    def describe_target(self, ctx: "Context", mode: str) -> "CloudTarget":
        """The one line `plan`/`apply` print about where this engine's changes go (toolkit.planning.where)."""
        raise NotImplementedError(f"{self.name} registers no tables")

    # -- column types read back ---------------------------------------------------------------------------------------
    def normalize_type(self, text: str) -> str:
        """A comparable spelling of a reported column type: upper case, no spaces, aliases folded."""
        base, _, rest = compact_type(text).partition("(")
        base = self.type_aliases.get(base, base)
        return base + ("(" + rest if rest else "")

    # -- validate (toolkit.sql.validate) -------------------------------------------------------------------------------
    def offline_checker(self, validator: "FileValidator") -> Any:
        """What resolves a compiled KPI offline: `check(sql) -> Problem | None`, then `close()`; built once a run."""
        raise NotImplementedError(f"{self.name} runs no KPI")

    def native_parse(self, validator: "FileValidator", source: str) -> "Problem | None":
        """The engine's own parser on a KPI written in its dialect (only called when `parses_natively`)."""
        return None

    def source_problem(self, validator: "FileValidator", raw: str,
                       source: str) -> tuple[str, int | None, int | None] | None:
        """(message, line, column in `raw`) of what fails on this engine before compiling, or None."""
        return None

    def unreadable_tables(self, catalog: "GoldCatalog") -> dict[str, str]:
        """{gold table name, lower case: why} for the tables this engine cannot register."""
        return {}

    def table_object(self, loaded: "LoadedConfig", table: str) -> str:
        """The `registration_ddl` object name of gold table `table`'s registration."""
        raise NotImplementedError(f"{self.name} registers no tables")

    def ddl_problem(self, sql: str, loaded: "LoadedConfig | None") -> "Problem | None":
        """What is wrong with one rendered registration statement, positioned in `sql` when the engine says where."""
        return None

    def online_checker(self, loaded: "LoadedConfig") -> tuple[Any | None, str | None]:
        """(checker, note) for `validate --online`: `check(file, sql) -> Result` and `close()`; None with the reason
        it is skipped (no credentials), (None, None) when the engine has no online check or is not configured."""
        return None, None

    # -- parity -------------------------------------------------------------------------------------------------------
    def oracle_options(self, loaded: "LoadedConfig") -> dict[str, object]:
        """Keyword arguments the engine's parity oracle takes from the config."""
        return {}

    def oracle_warmup(self, note: Callable[[str], None]) -> None:
        """Pay the oracle's one-off start-up cost now, outside any KPI's time budget, saying so through `note`."""


def compact_type(text: str) -> str:
    return re.sub(r"\s+", "", text.upper())
