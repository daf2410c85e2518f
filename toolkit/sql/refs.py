"""`{{ ref('table') }}` in KPI SQL: Jinja2 with one function, rendered to each engine's name for a gold table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog

REF_ENGINES = ("bigquery", "snowflake", "duckdb", "source")
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_REF_CALL = re.compile(r"""ref\(\s*(['"])(.*?)\1\s*\)""")


def _snowflake_part(name: str) -> str:
    if name.startswith('"') and name.endswith('"'):
        return name
    return name.upper() if _PLAIN.match(name) else '"' + name.replace('"', '""') + '"'


def qualified_name(table: str, engine: str, loaded: "LoadedConfig") -> str:
    """How `engine` names gold table `table`: BigQuery `project.dataset.table`, Snowflake DB.SCHEMA.TABLE, DuckDB
    the bare name of its local view ("source" too)."""
    config = loaded.config
    if engine == "bigquery":
        if config.bigquery is None:
            raise UsageError(f"{loaded.path}: bigquery: section is required to compile for BigQuery")
        return f"`{config.bigquery.project}.{config.bigquery.dataset}.{table}`"
    if engine == "snowflake":
        if config.snowflake is None:
            raise UsageError(f"{loaded.path}: snowflake: section is required to compile for Snowflake")
        sf = config.snowflake
        return ".".join(_snowflake_part(part) for part in (sf.database, sf.schema_, table))
    if engine in ("duckdb", "source"):
        return table if _PLAIN.match(table) else '"' + table.replace('"', '""') + '"'
    raise UsageError(f"unknown engine {engine!r} for ref(); use one of {', '.join(REF_ENGINES)}")


def known_tables(loaded: "LoadedConfig", catalog: "GoldCatalog | None" = None) -> set[str] | None:
    """Names `ref()` accepts: the catalog's, the config's and the local gold folders; None when nothing is known."""
    names: set[str] = set(loaded.config.gold.tables)
    if catalog is not None:
        names.update(catalog.names)
    found_local = False
    local_dir = loaded.config.gold.local_dir
    if local_dir and loaded.resolve(local_dir).is_dir():
        for entry in loaded.resolve(local_dir).iterdir():
            if entry.is_dir() or entry.suffix == ".parquet":
                names.add(entry.stem if entry.is_file() else entry.name)
                found_local = True
    if catalog is None and not found_local:
        return None  # nothing to check against (no catalog given, no local gold data)
    return names


def table_names_for(engine: str, loaded: "LoadedConfig", tables: Iterable[str]) -> dict[str, str]:
    """{bare name: engine-qualified name} for `compile_query(table_names=...)`."""
    return {table: qualified_name(table, engine, loaded) for table in tables}


def render_refs(
    text: str,
    engine: str,
    loaded: "LoadedConfig",
    *,
    path: Path | None = None,
    catalog: "GoldCatalog | None" = None,
) -> str:
    """Render `{{ ref('t') }}` for `engine` (bigquery | snowflake | duckdb | source); line structure is preserved.
    An unknown table or any other template error is a UsageError naming the file and line."""
    import jinja2

    where = str(path) if path is not None else "<sql>"
    allowed = known_tables(loaded, catalog)
    lowered = {name.lower(): name for name in allowed or ()}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _REF_CALL.finditer(line):
            name = match.group(2)
            if allowed is not None and name.lower() not in lowered:
                choices = ", ".join(sorted(allowed)) or "(none)"
                raise UsageError(f"{where}:{number}: ref({name!r}): unknown gold table; known: {choices}")

    def ref(name: str) -> str:
        if not isinstance(name, str) or not name:
            raise UsageError(f"{where}: ref() takes a table name string")
        return qualified_name(lowered.get(name.lower(), name), engine, loaded)

    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    try:
        template = env.from_string(text)
        return template.render(ref=ref)
    except jinja2.TemplateSyntaxError as exc:
        raise UsageError(f"{where}:{exc.lineno}: template error: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise UsageError(f"{where}:{_line_mentioning(text, str(exc))}: template error: {exc.message}") from None


def _line_mentioning(text: str, message: str) -> int:
    match = re.search(r"'([^']+)' is undefined", message)
    if match:
        for number, line in enumerate(text.splitlines(), start=1):
            if "{{" in line and match.group(1) in line:
                return number
    return 1
