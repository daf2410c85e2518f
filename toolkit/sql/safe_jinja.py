"""Render untrusted Jinja text safely: KPI files and registration DDL templates come from pull requests.

The environment is Jinja's `ImmutableSandboxedEnvironment` with no loader (`{% include %}`, `{% import %}`,
`{% from %}`, `{% extends %}` are refused when the text is parsed, before anything runs), `StrictUndefined`, no
default globals (no `range`, `cycler`, `joiner`, `namespace`, `lipsum`, `dict`: only the names the caller passes),
a filter whitelist, and no callable attribute (`'x'.ljust`, `'{0.__class__}'.format`, `loop.cycle`): templates
call only the functions they are given.

The bounds (time, output size, call depth, number size) and how they are enforced: see
`toolkit.sql.template_bounds`.

Every failure is a `TemplateRefused` (a `UsageError`, exit 2) `path:line: template error: ...` naming the template
line; errors our own functions raise (a name the quoting filters refuse) pass through unchanged. Parsing is bounded
too: the caller's file size limit, `MAX_TAGS`, and Python's recursion limit (reported as "nested too deeply").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Mapping

from toolkit.errors import FedkitError, UsageError
from toolkit.sql import template_bounds as bounds
from toolkit.sql.template_bounds import MAX_OUTPUT_CHARS, RENDER_SECONDS  # noqa: F401 - part of this API

if TYPE_CHECKING:
    import jinja2
    from jinja2 import nodes

MAX_TAGS = 5_000  # `{{`/`{%` tags in one template: Jinja parses about 10,000 a second here, so parsing stays short
SAFE_FILTERS = ("join", "map", "length", "lower", "upper", "trim", "first", "last", "default")
SAFE_TESTS = ("defined", "undefined", "none", "boolean", "true", "false", "integer", "float", "number", "string",
              "sequence", "mapping", "eq", "ne", "lt", "le", "gt", "ge", "in", "odd", "even", "divisibleby")
# Statements that reach other templates, or re-enter the template through `self`/`loop()`.
_REFUSED = {
    "Include": "{% include %}",
    "Import": "{% import %}",
    "FromImport": "{% from ... import %}",
    "Extends": "{% extends %}",
    "Block": "{% block %}",
}
_GUARD = "_fedkit_loop_guard"


class TemplateRefused(UsageError):
    """A template fedkit will not render (refused construct, syntax error, a bound reached): bad input for the whole
    run (exit 2). An error raised by the functions a template calls (an unknown table in `ref()`) is not one."""


@dataclass(frozen=True)
class Options:
    """How a family of templates is written (whitespace control) and which extra filters it may use."""

    filters: tuple[tuple[str, Callable[..., Any]], ...] = ()
    trim_blocks: bool = False
    lstrip_blocks: bool = False
    keep_trailing_newline: bool = True


@lru_cache(maxsize=8)
def environment(options: Options) -> "jinja2.Environment":
    import jinja2
    from jinja2 import filters as builtin_filters
    from jinja2 import tests as builtin_tests

    cls, _ = bounds.classes()
    env = cls(
        loader=None,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=options.trim_blocks,
        lstrip_blocks=options.lstrip_blocks,
        keep_trailing_newline=options.keep_trailing_newline,
        optimized=False,
        cache_size=0,
    )
    env.globals.clear()
    env.filters = {name: bounds.bounded_filter(builtin_filters.FILTERS[name]) for name in SAFE_FILTERS}
    env.filters["join"] = bounds.bounded_join(builtin_filters.FILTERS["join"])
    env.filters.update({name: bounds.bounded_filter(func) for name, func in options.filters})
    env.filters[_GUARD] = bounds.guarded_iter  # wraps every {% for %} sequence (see _compiled); not for templates
    env.tests = {name: builtin_tests.TESTS[name] for name in SAFE_TESTS}
    return env


def _error(where: str, line: int | None, message: str) -> TemplateRefused:
    text = " ".join(str(message).split()) or "error"
    if len(text) > 300:  # Jinja's messages quote names from the template, which can be a megabyte long
        text = text[:300] + "…"
    return TemplateRefused(f"{where}:{line or 1}: template error: {text}")


def _describe(exc: BaseException) -> str:
    import jinja2

    if isinstance(exc, (bounds.Exceeded, jinja2.TemplateError)):
        return str(exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else exc)
    if isinstance(exc, RecursionError):
        return "nested too deeply (recursion)"
    if isinstance(exc, MemoryError):
        return "out of memory"
    return f"{type(exc).__name__}: {exc}"


def _template_line(exc: BaseException, where: str) -> int | None:
    """The innermost template line in the traceback (Jinja rewrites its frames to the template's lines)."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == where:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def parse(text: str, where: str, options: Options = Options()) -> "nodes.Template":
    """The template's syntax tree, refusing statements that reach other templates; UsageError `where:line: ...`."""
    import jinja2

    tags = text.count("{{") + text.count("{%")
    if tags > MAX_TAGS:
        raise _error(where, None, f"{tags:,} Jinja tags, more than the {MAX_TAGS:,} a template may have")
    env = environment(options)
    try:
        tree = env.parse(text, filename=where)
    except jinja2.TemplateSyntaxError as exc:
        raise _error(where, exc.lineno, exc.message or str(exc)) from None
    except RecursionError:
        raise _error(where, None, "nested too deeply to parse") from None
    except Exception as exc:  # noqa: BLE001 - e.g. an integer literal of 5,000 digits (Python refuses to read it)
        raise _error(where, getattr(exc, "lineno", None), _describe(exc)) from None
    _refuse_reaching_out(tree, where)
    return tree


def _refuse_reaching_out(tree: "nodes.Template", where: str) -> None:
    from jinja2 import nodes

    for node in tree.find_all(nodes.Node):
        kind = type(node).__name__
        if kind in _REFUSED:
            raise _error(where, node.lineno, f"{_REFUSED[kind]} is not allowed (templates render with no loader)")
        if isinstance(node, nodes.For) and node.recursive:
            raise _error(where, node.lineno, "recursive {% for %} loops are not allowed")
        if isinstance(node, nodes.Filter) and node.name == _GUARD:
            raise _error(where, node.lineno, f"no filter named {_GUARD!r}")
        if isinstance(node, nodes.Name) and node.name == "self":
            raise _error(where, node.lineno, "'self' is not allowed")


_CACHED_CHARS = 100_000  # DDL templates (rendered once per table) are compiled once; KPI-sized texts are not kept


def _compiled(text: str, where: str, options: Options) -> "jinja2.Template":
    return _compiled_cached(text, where, options) if len(text) <= _CACHED_CHARS else _compile(text, where, options)


@lru_cache(maxsize=64)
def _compiled_cached(text: str, where: str, options: Options) -> "jinja2.Template":
    return _compile(text, where, options)


def _compile(text: str, where: str, options: Options) -> "jinja2.Template":
    from jinja2 import nodes

    tree = parse(text, where, options)
    env = environment(options)
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, _GUARD, [], [], None, None, lineno=loop.iter.lineno)
    try:
        code = env.compile(tree, filename=where)
    except (RecursionError, SyntaxError):  # Python's own nesting limits on the generated code (its lines, not ours)
        raise _error(where, None, "nested too deeply to compile") from None
    except Exception as exc:  # a TemplateAssertionError (unknown filter, assigning `loop`), with its line
        raise _error(where, getattr(exc, "lineno", None), _describe(exc)) from None
    return env.template_class.from_code(env, code, env.make_globals(None))


def render(text: str, where: str, context: Mapping[str, Any], options: Options = Options()) -> str:
    """Render `text` (named `where` in errors) with only `context`'s names in scope, within the bounds above."""
    template = _compiled(text, where, options)
    token = bounds.start()
    size = 0
    pieces: list[str] = []
    try:
        for piece in template.generate(**context):
            bounds.tick()
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise bounds.Exceeded(f"output larger than {MAX_OUTPUT_CHARS:,} characters")
            pieces.append(piece)
    except FedkitError:
        raise  # our own functions' errors (a refused name) already say what is wrong
    except Exception as exc:  # noqa: BLE001 - every failure of untrusted text is a usage error with its line
        raise _error(where, _template_line(exc, where), _describe(exc)) from None
    finally:
        bounds.stop(token)
    return "".join(pieces)
