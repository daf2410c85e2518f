"""`{{ ref('table') }}` in KPI SQL: Jinja2 with one function, rendered to each engine's name for a gold table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from toolkit.errors import UsageError
from toolkit.sql.kpi_files import shown_value
from toolkit.sql.safe_jinja import Options, TemplateRefused

if TYPE_CHECKING:
    from toolkit.config import Config, LoadedConfig
    from toolkit.gold.model import GoldCatalog

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# A name never holds its own quote or a newline, so a `ref('` with no closing quote fails at the next quote instead
# of rescanning the rest of the line (quadratic on `ref('ref('ref('…`); such refs are still checked when called.
_REF_CALL = re.compile(r"""ref\(\s*(?:'([^'\n]*)'|"([^"\n]*)")\s*\)""")


def _ref_name(match: "re.Match[str]") -> str:
    return match.group(1) if match.group(1) is not None else match.group(2)


def _snowflake_part(name: str) -> str:
    if name.startswith('"') and name.endswith('"'):
        return name
    return name.upper() if _PLAIN.match(name) else '"' + name.replace('"', '""') + '"'


def _bigquery_name(table: str, config: "Config") -> str | None:
    if config.bigquery is None:
        return None
    return f"`{config.bigquery.project}.{config.bigquery.dataset}.{table}`"


def _snowflake_name(table: str, config: "Config") -> str | None:
    if config.snowflake is None:
        return None
    sf = config.snowflake
    return ".".join(_snowflake_part(part) for part in (sf.database, sf.schema_, table))


def _local_name(table: str, config: "Config") -> str:
    return table if _PLAIN.match(table) else '"' + table.replace('"', '""') + '"'


def _namer(engine: str) -> "Callable[[str, Config], str | None] | None":
    """How `engine` names a gold table (its traits' `table_name`; "source": the KPI source's bare name)."""
    from toolkit.engines.registry import ENGINE_NAMES, traits

    if engine == "source":
        return _local_name
    return traits(engine).table_name if engine in ENGINE_NAMES and traits(engine).runs_kpis else None


def _ref_engines() -> tuple[str, ...]:
    from toolkit.engines.registry import engines_that

    return (*engines_that(lambda t: t.runs_kpis), "source")


def qualified_name(table: str, engine: str, loaded: "LoadedConfig") -> str:
    """How `engine` names gold table `table`: BigQuery `project.dataset.table`, Snowflake DB.SCHEMA.TABLE, DuckDB
    the bare name of its local view ("source" too)."""
    namer = _namer(engine)
    if namer is None:
        raise UsageError(f"unknown engine {engine!r} for ref(); use one of {', '.join(_ref_engines())}")
    name = namer(table, loaded.config)
    if name is None:
        from toolkit.engines.registry import traits

        raise UsageError(f"{loaded.path}: {engine}: section is required to compile for {traits(engine).title}")
    return name


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
    """Render `{{ ref('t') }}` for `engine` (bigquery | snowflake | duckdb | source). Line structure is preserved:
    line N of the result comes from line N of `text` (a `{# comment #}` or a `{{ ... }}` spanning lines keeps its
    newlines). An unknown table (outside SQL comments) is a UsageError naming the file and line; anything in the
    template beyond `ref('<name>')` and comments is a `TemplateRefused` (see `check_kpi_template`)."""
    from toolkit.sql import safe_jinja

    where = str(path) if path is not None else "<sql>"
    literal_refs = check_kpi_template(text, where)
    allowed = known_tables(loaded, catalog)
    lowered = {name.lower(): name for name in allowed or ()}
    in_code = code_refs(text)
    for name, number in in_code:
        if allowed is not None and name.lower() not in lowered:
            raise UsageError(f"{where}:{number}: ref({shown_value(name)}): unknown gold table; "
                             f"known: {_choices(allowed)}")
    # A ref written only inside SQL comments is rendered but not checked (it names a table in the comment text).
    commented = {_ref_name(m).lower() for m in _REF_CALL.finditer(text)} - {name.lower() for name, _ in in_code}

    def ref(name: Any) -> str:
        # Checked again at call time: whatever the text looked like, no table outside the catalog is named.
        if not isinstance(name, str) or not name:
            raise UsageError(f"{where}: ref() takes a table name string")
        key = name.lower()
        if allowed is not None and key not in lowered and key not in commented:
            line = next((number for literal, number in literal_refs if literal == name), 1)
            raise UsageError(f"{where}:{line}: ref({shown_value(name)}): unknown gold table; "
                             f"known: {_choices(allowed)}")
        return qualified_name(lowered.get(key, name), engine, loaded)

    return safe_jinja.render(_keep_template_newlines(text), where, {"ref": ref}, _KPI_OPTIONS)


def code_refs(text: str) -> list[tuple[str, int]]:
    """(table, line of the name) for every `ref('table')` outside SQL and Jinja comments: the tables a KPI reads."""
    code = sql_code_only(text)
    found = []
    for match in _REF_CALL.finditer(code):
        start = match.start(1) if match.group(1) is not None else match.start(2)
        found.append((_ref_name(match), code.count("\n", 0, start) + 1))
    return found


def _choices(allowed: set[str]) -> str:
    return ", ".join(sorted(allowed)) or "(none)"


_KPI_OPTIONS = Options()  # the old environment's whitespace: nothing trimmed, the trailing newline kept
_KPI_OPTIONS_HELP = "a KPI file may use Jinja only for {{ ref('table') }} (a quoted table name) and {# comments #}"


def check_kpi_template(text: str, where: str) -> list[tuple[str, int]]:
    """Refuse any Jinja in a KPI file beyond `{{ ref('<literal>') }}` and `{# comments #}`, by walking the parsed
    template: `{% for %}`, `{% set %}`, filters, attribute access, other names, `ref(some_variable)` all name their
    line. Returns the literal refs as (name, line)."""
    from jinja2 import nodes

    from toolkit.sql import safe_jinja

    tree = safe_jinja.parse(text, where, _KPI_OPTIONS)
    refs: list[tuple[str, int]] = []
    for statement in tree.body:
        if not isinstance(statement, nodes.Output):
            raise _refused(where, statement.lineno, _what(statement))
        for child in statement.nodes:
            if isinstance(child, nodes.TemplateData):
                continue
            name = _literal_ref(child)
            if name is None:
                raise _refused(where, _first_line(child), _what(child))
            refs.append((name, child.lineno))
    return refs


def _literal_ref(node: Any) -> str | None:
    from jinja2 import nodes

    if (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "ref"
            and len(node.args) == 1 and not node.kwargs and node.dyn_args is None and node.dyn_kwargs is None
            and isinstance(node.args[0], nodes.Const) and isinstance(node.args[0].value, str)):
        return node.args[0].value
    return None


def _first_line(node: Any) -> int:
    """The line of the construct a person should look at: inside `ref(...)`, its argument's."""
    from jinja2 import nodes

    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "ref" and node.args:
        return node.args[0].lineno
    return node.lineno


_STATEMENTS = {
    "For": "{% for %}", "If": "{% if %}", "Assign": "{% set %}", "AssignBlock": "{% set %}", "Macro": "{% macro %}",
    "CallBlock": "{% call %}", "FilterBlock": "{% filter %}", "With": "{% with %}",
    "ScopedEvalContextModifier": "{% autoescape %}", "EvalContextModifier": "{% autoescape %}",
}


def _what(node: Any) -> str:
    from jinja2 import nodes

    kind = type(node).__name__
    if kind in _STATEMENTS:
        return _STATEMENTS[kind]
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "ref":
        return "ref() with something other than one quoted table name"
    for inner in [node, *node.find_all(nodes.Node)]:
        if isinstance(inner, nodes.Filter):
            return f"the filter |{inner.name}"
        if isinstance(inner, (nodes.Getattr, nodes.Getitem)):
            return "attribute or item access"
        if isinstance(inner, nodes.Name) and inner.name != "ref":
            return f"the name {shown_value(inner.name)}"
        if isinstance(inner, nodes.Call):
            return "a call other than ref()"
    return "an expression other than ref('table')"


def _refused(where: str, line: int, what: str) -> "TemplateRefused":
    return TemplateRefused(f"{where}:{line}: template error: {what} is not allowed; {_KPI_OPTIONS_HELP}")


_NOT_NEWLINE = re.compile(r"[^\n]")
_JINJA_OPEN = re.compile(r"\{\{|\{#")


def _keep_template_newlines(text: str) -> str:
    """Jinja drops a comment with its newlines and prints an expression on one line: put the newlines back (the
    comment becomes its newlines, an expression's newlines follow its output) so every line stays in place.
    One pass with `find`: a `{{` that never closes (text inside `{% raw %}`) ends the scan instead of making every
    later `{{` rescan the rest of the file."""
    out: list[str] = []
    at = 0
    while True:
        opened = _JINJA_OPEN.search(text, at)
        if opened is None:
            break
        close = "#}" if opened.group() == "{#" else "}}"
        end = text.find(close, opened.end())
        if end < 0:
            break
        end += 2
        chunk = text[opened.start():end]
        out.append(text[at:opened.start()])
        if close == "#}":
            out.append("\n" * chunk.count("\n"))
        elif "\n" in chunk:
            out.append(chunk.replace("\n", " ") + "\n" * chunk.count("\n"))
        else:
            out.append(chunk)
        at = end
    out.append(text[at:])
    return "".join(out)


def sql_code_only(text: str) -> str:
    """`text` with SQL comments (`-- ...`, `/* ... */`) and Jinja comments blanked to spaces, newlines kept, so
    a `ref('x')` mentioned in a comment is not taken for a reference. Quoted strings and `{{ ... }}` are skipped
    over whole (a `--` inside them does not start a comment)."""
    out: list[str] = []
    i, n = 0, len(text)

    def blank(chunk: str) -> str:
        return _NOT_NEWLINE.sub(" ", chunk)

    while i < n:
        two = text[i:i + 2]
        if two == "{{":
            end = text.find("}}", i + 2)
            end = n if end < 0 else end + 2
            out.append(text[i:end])
        elif two == "{#":
            end = text.find("#}", i + 2)
            end = n if end < 0 else end + 2
            out.append(blank(text[i:end]))
        elif two == "--":
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(blank(text[i:end]))
        elif two == "/*":
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(blank(text[i:end]))
        elif text[i] in "'\"`":
            end = text.find(text[i], i + 1)  # a doubled quote ('it''s') is two strings back to back: same result
            end = n if end < 0 else end + 1
            out.append(text[i:end])
        else:
            out.append(text[i])
            end = i + 1
        i = end
    return "".join(out)
