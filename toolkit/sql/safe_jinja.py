"""Render untrusted Jinja text safely: KPI files and registration DDL templates come from pull requests.

The environment is Jinja's `ImmutableSandboxedEnvironment` with no loader (`{% include %}`, `{% import %}`,
`{% from %}`, `{% extends %}` are refused when the text is parsed, before anything runs), `StrictUndefined`, no
default globals (no `range`, `cycler`, `joiner`, `namespace`, `lipsum`, `dict`: only the names the caller passes),
a filter whitelist, and no callable attribute (`'x'.ljust`, `'{0.__class__}'.format`, `loop.cycle`): templates
call only the functions they are given.

Bounds, and why this mechanism: a render cannot be interrupted from outside without leaving a thread running or
paying for a process per render, so the template is made to check its own budget. The compiled Python comes from
a code generator that routes every place where work can multiply through the environment:
- every call (`environment.call`, sandboxed Jinja already does this), attribute and item access, and every
  intercepted binary operator check a wall-clock deadline; calls also count their nesting depth (macro recursion);
- every `{% for %}` iterates through a guard (its sequence is wrapped in an internal filter) that checks the
  deadline at each item, so nested loops over long sequences stop at the deadline however little each iteration
  does (recursive loops are refused);
- `**`, `*`, `+`, `-` refuse results past a bound before computing them (`9**(9**9)`, `'a' * 10**9`), `%` refuses
  string formatting (`'%0999999999d' % 1`);
- every output buffer (macro bodies, `{% set %}` blocks, `{% filter %}` blocks), every `~` concatenation, every
  filter result and the streamed output count characters against `MAX_OUTPUT_CHARS`, so doubling a string in a
  loop of `{% set %}` stops at the bound instead of exhausting memory; every list, tuple and dict a template
  builds is weighed when built (what printing or comparing it would cost, shared items counted each time).
The compile-time optimizer is off: it would evaluate constant expressions (filters included) outside these checks.

Every failure is a `TemplateRefused` (a `UsageError`, exit 2) `path:line: template error: ...` naming the template
line; errors our own functions raise (a name the quoting filters refuse) pass through unchanged. Parsing is bounded
too: the caller's file size limit, `MAX_TAGS`, and Python's recursion limit (reported as "nested too deeply").
"""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

from toolkit.errors import FedkitError, UsageError

if TYPE_CHECKING:
    import jinja2
    from jinja2 import nodes

RENDER_SECONDS = 1.0  # wall clock for one render; registration DDL renders in milliseconds
MAX_OUTPUT_CHARS = 10_000_000  # any string a template builds, and its whole output
MAX_CALL_DEPTH = 50  # nested calls (macro recursion); Python's own limit would be reached near 150
MAX_TAGS = 5_000  # `{{`/`{%` tags in one template: Jinja parses about 10,000 a second here, so parsing stays short
MAX_INT_BITS = 4096  # integers a template may compute (`9**(9**9)` is refused, not computed)
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


class _Exceeded(Exception):
    """A render went past one of its bounds (message: which one)."""


@dataclass
class _Budget:
    deadline: float
    depth: int = 0
    weights: dict[int, tuple[Any, int]] = field(default_factory=dict)  # id -> (the container, kept alive; weight)

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Exceeded(f"rendering took longer than {RENDER_SECONDS:g} s")


_BUDGET: contextvars.ContextVar[_Budget] = contextvars.ContextVar("fedkit_template_budget")


def _tick() -> None:
    budget = _BUDGET.get(None)
    if budget is None:
        raise _Exceeded("rendered outside fedkit's bounded renderer")
    budget.tick()


def _check_size(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_OUTPUT_CHARS:
        raise _Exceeded(f"a value larger than {MAX_OUTPUT_CHARS:,} characters")
    return value


def _weight(value: Any, memo: dict[int, tuple[Any, int]]) -> int:
    """About how many characters `str(value)` prints: a string its length, a container its items' weights plus one
    per item, counted per reference (a list holding the same list twice weighs it twice). Containers a template
    builds are weighed when built, from their items' remembered weights, so nesting `[a, a]` forty times is refused
    at the bound instead of printing or comparing 2**40 items."""
    if isinstance(value, str):
        return len(value)
    if not isinstance(value, (list, tuple, dict)):
        return 1
    known = memo.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    items = [x for pair in value.items() for x in pair] if isinstance(value, dict) else value
    total = len(items)
    for item in items:
        total += _weight(item, memo)
        if total > MAX_OUTPUT_CHARS:
            break
    memo[id(value)] = (value, total)
    return total


def _sized(value: Any) -> Any:
    budget = _BUDGET.get(None)
    if budget is None:
        raise _Exceeded("rendered outside fedkit's bounded renderer")
    budget.tick()
    if _weight(value, budget.weights) > MAX_OUTPUT_CHARS:
        raise _Exceeded(f"a value larger than {MAX_OUTPUT_CHARS:,} characters")
    return value


def _guarded_iter(iterable: Any) -> Iterator[Any]:
    for item in iterable:
        _tick()
        yield item


class _Buffer(list):
    """An output buffer (macro body, `{% set %}` block) that counts what is written into it."""

    size = 0

    def append(self, item: Any) -> None:
        self._grow(len(item) if isinstance(item, str) else 0)
        super().append(item)

    def extend(self, items: Iterable[Any]) -> None:
        items = tuple(items)
        self._grow(sum(len(i) for i in items if isinstance(i, str)))
        super().extend(items)

    def _grow(self, chars: int) -> None:
        _tick()
        self.size += chars
        if self.size > MAX_OUTPUT_CHARS:
            raise _Exceeded(f"output larger than {MAX_OUTPUT_CHARS:,} characters")


def _int_bits(value: Any) -> int | None:
    return abs(value).bit_length() if isinstance(value, int) and not isinstance(value, bool) else None


def _binop(operator: str, left: Any, right: Any) -> Any:
    """The intercepted operators, refusing results past the bounds before they are computed."""
    lbits, rbits = _int_bits(left), _int_bits(right)
    if lbits is not None and rbits is not None:
        if operator == "**" and right > 0 and lbits > 1 and right * lbits > MAX_INT_BITS:
            raise _Exceeded(f"a number larger than {MAX_INT_BITS} bits")
        if operator == "*" and lbits + rbits > MAX_INT_BITS:
            raise _Exceeded(f"a number larger than {MAX_INT_BITS} bits")
        if operator in ("+", "-") and max(lbits, rbits) >= MAX_INT_BITS:
            raise _Exceeded(f"a number larger than {MAX_INT_BITS} bits")
    if operator == "%" and isinstance(left, str):
        raise _Exceeded("string formatting with % is not allowed")
    weight = None  # of a sequence result, known before it is built
    if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
        weight = _weight(left, _memo()) + _weight(right, _memo())
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and not isinstance(count, bool):
                weight = _weight(seq, _memo()) * max(count, 0)
    if weight is not None and weight > MAX_OUTPUT_CHARS:
        raise _Exceeded(f"a value larger than {MAX_OUTPUT_CHARS:,} characters")
    import operator as op

    table: dict[str, Callable[[Any, Any], Any]] = {
        "+": op.add, "-": op.sub, "*": op.mul, "/": op.truediv, "//": op.floordiv, "**": op.pow, "%": op.mod,
    }
    result = table[operator](left, right)
    if weight is not None and isinstance(result, (list, tuple)):
        _memo()[id(result)] = (result, weight)
    return result


def _memo() -> dict[int, tuple[Any, int]]:
    budget = _BUDGET.get(None)
    if budget is None:
        raise _Exceeded("rendered outside fedkit's bounded renderer")
    return budget.weights


def _bounded_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(func)  # keeps jinja's pass_context/pass_environment marker
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _tick()
        return _check_size(func(*args, **kwargs))

    return wrapper


def _bounded_join(func: Callable[..., Any]) -> Callable[..., Any]:
    """`join` whose result size is known before it is built (a long separator times a long list)."""

    @wraps(func)
    def wrapper(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        _tick()
        items = list(_guarded_iter(value)) if not isinstance(value, str) else list(value)
        sizes = sum(len(i) if isinstance(i, str) else 0 for i in items)
        if sizes + max(len(items) - 1, 0) * len(str(d)) > MAX_OUTPUT_CHARS:
            raise _Exceeded(f"a value larger than {MAX_OUTPUT_CHARS:,} characters")
        return _check_size(func(eval_ctx, items, d, attribute))

    return wrapper


@lru_cache(maxsize=1)
def _classes() -> tuple[type, type]:
    """(environment class, code generator class), built on first use so jinja2 is imported lazily."""
    from jinja2.compiler import CodeGenerator
    from jinja2.runtime import Undefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Generator(CodeGenerator):
        def buffer(self, frame: Any) -> None:
            frame.buffer = self.temporary_identifier()
            self.writeline(f"{frame.buffer} = environment.fedkit_buffer()")

        def _sized(self, visit: Callable[[Any, Any], None], node: Any, frame: Any) -> None:
            self.write("environment.fedkit_sized(")
            visit(node, frame)
            self.write(")")

        def visit_List(self, node: Any, frame: Any) -> None:
            self._sized(super().visit_List, node, frame)

        def visit_Dict(self, node: Any, frame: Any) -> None:
            self._sized(super().visit_Dict, node, frame)

        def visit_Tuple(self, node: Any, frame: Any) -> None:
            if node.ctx != "load":  # a `{% for a, b in ... %}` or `{% set a, b = ... %}` target
                return super().visit_Tuple(node, frame)
            self._sized(super().visit_Tuple, node, frame)

        def visit_Concat(self, node: Any, frame: Any) -> None:
            self.write("environment.fedkit_concat((")
            for arg in node.nodes:
                self.visit(arg, frame)
                self.write(", ")
            self.write("))")

    class Environment(ImmutableSandboxedEnvironment):
        code_generator_class = Generator
        intercepted_binops = frozenset(["**", "*", "+", "-", "/", "//", "%"])

        fedkit_buffer = staticmethod(_Buffer)
        fedkit_sized = staticmethod(_sized)

        @staticmethod
        def fedkit_concat(parts: tuple[Any, ...]) -> str:
            _tick()
            texts = [str(part) for part in parts]
            if sum(len(t) for t in texts) > MAX_OUTPUT_CHARS:
                raise _Exceeded(f"a value larger than {MAX_OUTPUT_CHARS:,} characters")
            return "".join(texts)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _tick()
            return _binop(operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            budget = _BUDGET.get(None)
            if budget is None:
                raise _Exceeded("rendered outside fedkit's bounded renderer")
            budget.tick()
            if budget.depth >= MAX_CALL_DEPTH:
                raise _Exceeded(f"calls nested deeper than {MAX_CALL_DEPTH} (recursion)")
            budget.depth += 1
            try:
                return _check_size(super().call(__context, __obj, *args, **kwargs))
            finally:
                budget.depth -= 1

        def getattr(self, obj: Any, attribute: str) -> Any:
            _tick()
            if isinstance(obj, Undefined):  # `cycler.__init__`: say that `cycler` is undefined
                obj._fail_with_undefined_error()
            return self._no_method(obj, attribute, super().getattr(obj, attribute))

        def getitem(self, obj: Any, argument: Any) -> Any:
            _tick()
            if isinstance(obj, Undefined):
                obj._fail_with_undefined_error()
            value = super().getitem(obj, argument)
            return self._no_method(obj, argument, value) if isinstance(argument, str) else value

        def _no_method(self, obj: Any, name: str, value: Any) -> Any:
            # Templates call only the functions they are given: a method of a value (str.format, str.ljust,
            # dict.items, loop.cycle) is refused like a private attribute.
            if callable(value) and not isinstance(value, Undefined):
                return self.unsafe_undefined(obj, name)
            return value

    return Environment, Generator


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

    cls, _ = _classes()
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
    env.filters = {name: _bounded_filter(builtin_filters.FILTERS[name]) for name in SAFE_FILTERS}
    env.filters["join"] = _bounded_join(builtin_filters.FILTERS["join"])
    env.filters.update({name: _bounded_filter(func) for name, func in options.filters})
    env.filters[_GUARD] = _guarded_iter  # wraps every {% for %} sequence (see _compiled); not for templates
    env.tests = {name: builtin_tests.TESTS[name] for name in SAFE_TESTS}
    return env


def _error(where: str, line: int | None, message: str) -> TemplateRefused:
    text = " ".join(str(message).split()) or "error"
    return TemplateRefused(f"{where}:{line or 1}: template error: {text}")


def _describe(exc: BaseException) -> str:
    import jinja2

    if isinstance(exc, (_Exceeded, jinja2.TemplateError)):
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
    token = _BUDGET.set(_Budget(deadline=time.monotonic() + RENDER_SECONDS))
    size = 0
    pieces: list[str] = []
    try:
        for piece in template.generate(**context):
            _tick()
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise _Exceeded(f"output larger than {MAX_OUTPUT_CHARS:,} characters")
            pieces.append(piece)
    except FedkitError:
        raise  # our own functions' errors (a refused name) already say what is wrong
    except Exception as exc:  # noqa: BLE001 - every failure of untrusted text is a usage error with its line
        raise _error(where, _template_line(exc, where), _describe(exc)) from None
    finally:
        _BUDGET.reset(token)
    return "".join(pieces)
