"""Config errors for people: one line naming file, line, field and the bad value (pure; PyYAML nodes in, text out)."""

from __future__ import annotations

import difflib
import re
import types
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError


class CrossFieldError(ValueError):
    """A check across sections; `loc` names the field the message should point at."""

    def __init__(self, loc: tuple[str, ...], message: str):
        super().__init__(message)
        self.loc = loc


class SectionTextError(ValueError):
    """A name that is not plain text, found by the check every config section runs on its raw values; `sub` is where
    inside the section (field, or field and list index). `shows_value`: the message already shows it (a key)."""

    def __init__(self, sub: tuple[str, ...], message: str, shows_value: bool = False):
        super().__init__(message)
        self.sub = sub
        self.shows_value = shows_value


# Values never echoed in an error (DESIGN §8: no secret in an error message). The Snowflake external id is the
# shared value that lets Snowflake's IAM user assume the role; `--identity` refuses it without echoing it too.
SECRET_FIELDS = {("identities", "snowflake", "external_id")}


def _may_hold_secret(loc: tuple[str, ...]) -> bool:
    """The field is secret, or holds one: `identities.snowflake` written as one string ('arn,external id', the
    --identity form) is reported at `identities.snowflake` and still carries the external id."""
    return any(secret[: len(loc)] == loc for secret in SECRET_FIELDS) if loc else False


def describe_validation_error(
    exc: ValidationError, path: Path, root_node: Any, data: Any, model: Any = None
) -> str:
    error = exc.errors()[0]
    loc = tuple(str(part) for part in error["loc"])
    ctx_error = (error.get("ctx") or {}).get("error")
    if isinstance(ctx_error, CrossFieldError):
        loc = ctx_error.loc
    elif isinstance(ctx_error, SectionTextError):
        loc = (*loc, *ctx_error.sub)
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    kind = error["type"]
    if kind == "missing":
        message = "is required"
    elif kind == "extra_forbidden":
        message = "is not a known field"
        known = known_fields(model, loc[:-1]) if model is not None and loc else []
        close = difflib.get_close_matches(loc[-1], known, n=1, cutoff=0.6) if known else []
        if close:
            message += f"; did you mean {'.'.join((*loc[:-1], close[0]))}?"
        elif known:
            message += f" (known here: {', '.join(known)})"
    else:  # pydantic's "Input should be a valid dictionary or instance of GoldConfig" -> "must be a mapping"
        message = re.sub(r"^Input should be\b", "must be", message)
        message = re.sub(r"a valid dictionary( or instance of \w+)?", "a mapping (key: value lines)", message)
    line = line_of(root_node, loc)
    where = f"{path}:{line}" if line else str(path)
    field = ".".join(loc) if loc else "(top level)"
    value = _value_at(data, loc)
    if value is _MISSING or kind in ("missing", "extra_forbidden") or _may_hold_secret(loc) or \
            getattr(ctx_error, "shows_value", False):
        shown = ""
    elif isinstance(value, (dict, list)):
        shown = f" (got a {'mapping' if isinstance(value, dict) else 'list'})"
    else:
        shown = f" (got {value!r})"
    return f"{where}: {field}: {message}{shown}"


def known_fields(model: Any, loc: tuple[str, ...]) -> list[str]:
    """The keys a config mapping at `loc` accepts (YAML names, aliases included), from the pydantic models; [] when
    `loc` is not a model (pure)."""
    from pydantic import BaseModel

    def as_model(annotation: Any) -> tuple[Any, bool]:
        # (model class, whether it sits in a dict whose keys are free names such as table names)
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            for arg in typing.get_args(annotation):
                found = as_model(arg)
                if found[0] is not None:
                    return found
            return None, False
        if origin is dict:
            inner = as_model(typing.get_args(annotation)[1])[0]
            return inner, inner is not None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation, False
        return None, False

    current, keyed = model, False
    for part in loc:
        if keyed:
            keyed = False
            continue
        fields = {(f.alias or name): f for name, f in current.model_fields.items()}
        if part not in fields:
            return []
        current, keyed = as_model(fields[part].annotation)
        if current is None:
            return []
    if keyed:
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


_MISSING = object()


def _value_at(data: Any, loc: tuple[str, ...]) -> Any:
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node


def line_of(node: Any, loc: tuple[str, ...]) -> int | None:
    """The 1-based line of the deepest YAML node on the error's path."""
    import yaml

    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if str(key_node.value) == part:
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            line = node.start_mark.line + 1
        else:
            return line
    return line
