"""The mechanism that bounds a Jinja render from the inside (used by `toolkit.sql.safe_jinja`).

Why this mechanism: a render cannot be interrupted from outside without leaving a thread running or paying for a
process per render, so the template is made to check its own budget. The compiled Python comes from a code
generator that routes every place where work can multiply through the environment:
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
"""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from typing import Any, Callable, Iterable, Iterator

RENDER_SECONDS = 1.0  # CPU time of one render; registration DDL renders in milliseconds
MAX_OUTPUT_CHARS = 10_000_000  # any string a template builds, and its whole output
MAX_CALL_DEPTH = 50  # nested calls (macro recursion); Python's own limit would be reached near 150
MAX_INT_BITS = 4096  # integers a template may compute (`9**(9**9)` is refused, not computed)


class Exceeded(Exception):
    """A render went past one of its bounds (message: which one)."""


@dataclass
class _Budget:
    deadline: float
    depth: int = 0
    weights: dict[int, tuple[Any, int]] = field(default_factory=dict)  # id -> (the container, kept alive; weight)

    def tick(self) -> None:
        if time.thread_time() > self.deadline:
            raise Exceeded(f"rendering took longer than {RENDER_SECONDS:g} s of CPU")


_BUDGET: contextvars.ContextVar[_Budget] = contextvars.ContextVar("fedkit_template_budget")


def _budget() -> _Budget:
    budget = _BUDGET.get(None)
    if budget is None:  # compiled templates run only inside `start()`/`stop()`
        raise Exceeded("rendered outside fedkit's bounded renderer")
    return budget


def tick() -> None:
    _budget().tick()


def _check_size(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_OUTPUT_CHARS:
        raise Exceeded(f"a value larger than {MAX_OUTPUT_CHARS:,} characters")
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
    budget = _budget()
    budget.tick()
    if _weight(value, budget.weights) > MAX_OUTPUT_CHARS:
        raise Exceeded(f"a value larger than {MAX_OUTPUT_CHARS:,} characters")
    return value


def guarded_iter(iterable: Any) -> Iterator[Any]:
    for item in iterable:
        tick()
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
        tick()
        self.size += chars
        if self.size > MAX_OUTPUT_CHARS:
            raise Exceeded(f"output larger than {MAX_OUTPUT_CHARS:,} characters")


def _int_bits(value: Any) -> int | None:
    return abs(value).bit_length() if isinstance(value, int) and not isinstance(value, bool) else None


def _binop(operator: str, left: Any, right: Any) -> Any:
    """The intercepted operators, refusing results past the bounds before they are computed."""
    lbits, rbits = _int_bits(left), _int_bits(right)
    if lbits is not None and rbits is not None:
        if operator == "**" and right > 0 and lbits > 1 and right * lbits > MAX_INT_BITS:
            raise Exceeded(f"a number larger than {MAX_INT_BITS} bits")
        if operator == "*" and lbits + rbits > MAX_INT_BITS:
            raise Exceeded(f"a number larger than {MAX_INT_BITS} bits")
        if operator in ("+", "-") and max(lbits, rbits) >= MAX_INT_BITS:
            raise Exceeded(f"a number larger than {MAX_INT_BITS} bits")
    if operator == "%" and isinstance(left, str):
        raise Exceeded("string formatting with % is not allowed")
    weight = None  # of a sequence result, known before it is built
    if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
        weight = _weight(left, _memo()) + _weight(right, _memo())
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and not isinstance(count, bool):
                weight = _weight(seq, _memo()) * max(count, 0)
    if weight is not None and weight > MAX_OUTPUT_CHARS:
        raise Exceeded(f"a value larger than {MAX_OUTPUT_CHARS:,} characters")
    import operator as op

    table: dict[str, Callable[[Any, Any], Any]] = {
        "+": op.add, "-": op.sub, "*": op.mul, "/": op.truediv, "//": op.floordiv, "**": op.pow, "%": op.mod,
    }
    result = table[operator](left, right)
    if weight is not None and isinstance(result, (list, tuple)):
        _memo()[id(result)] = (result, weight)
    return result


def _memo() -> dict[int, tuple[Any, int]]:
    return _budget().weights


def bounded_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(func)  # keeps jinja's pass_context/pass_environment marker
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        tick()
        return _check_size(func(*args, **kwargs))

    return wrapper


def bounded_join(func: Callable[..., Any]) -> Callable[..., Any]:
    """`join` whose result size is known before it is built (a long separator times a long list)."""

    @wraps(func)
    def wrapper(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        tick()
        items = list(guarded_iter(value)) if not isinstance(value, str) else list(value)
        sizes = sum(len(i) if isinstance(i, str) else 0 for i in items)
        if sizes + max(len(items) - 1, 0) * len(str(d)) > MAX_OUTPUT_CHARS:
            raise Exceeded(f"a value larger than {MAX_OUTPUT_CHARS:,} characters")
        return _check_size(func(eval_ctx, items, d, attribute))

    return wrapper


@lru_cache(maxsize=1)
def classes() -> tuple[type, type]:
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
            tick()
            texts = [str(part) for part in parts]
            if sum(len(t) for t in texts) > MAX_OUTPUT_CHARS:
                raise Exceeded(f"a value larger than {MAX_OUTPUT_CHARS:,} characters")
            return "".join(texts)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            tick()
            return _binop(operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            budget = _budget()
            budget.tick()
            if budget.depth >= MAX_CALL_DEPTH:
                raise Exceeded(f"calls nested deeper than {MAX_CALL_DEPTH} (recursion)")
            budget.depth += 1
            try:
                return _check_size(super().call(__context, __obj, *args, **kwargs))
            finally:
                budget.depth -= 1

        def getattr(self, obj: Any, attribute: str) -> Any:
            tick()
            if isinstance(obj, Undefined):  # `cycler.__init__`: say that `cycler` is undefined
                obj._fail_with_undefined_error()
            return self._no_method(obj, attribute, super().getattr(obj, attribute))

        def getitem(self, obj: Any, argument: Any) -> Any:
            tick()
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



def start(seconds: float = RENDER_SECONDS) -> contextvars.Token:
    """Open a render's budget (reset it with `stop(token)`)."""
    # CPU time of the rendering thread, not wall time: a template can only loop (it cannot sleep or wait), and a busy
    # CI runner must not turn a legitimate render of a few milliseconds into a refusal.
    return _BUDGET.set(_Budget(deadline=time.thread_time() + seconds))


def stop(token: contextvars.Token) -> None:
    _BUDGET.reset(token)
