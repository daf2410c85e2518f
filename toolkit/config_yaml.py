"""Reading the config's YAML as untrusted input: bounded in size and depth, plain values only.

A config comes from pull requests (DESIGN §8). PyYAML's safe loader runs no code, but it still expands aliases (a
"billion laughs" file of a few hundred bytes explodes in whatever walks the result), silently keeps the last of two
equal keys, spends minutes on deep flow nesting in its pure-Python scanner, and hands back tags, merge keys, dates and
non-string keys that no config needs. Here, each refused with one line `file:line: ...` (ConfigError, exit 2):
- a file over MAX_CONFIG_BYTES, before it is parsed (it is not even read past the limit);
- every alias (`*x`), at its line, while the document is composed, so nothing is ever expanded. Allowing aliases under a
  node budget was the alternative; a config has no repeated blocks worth that risk, so the rule is the simple one
  (an anchor without an alias expands nothing and is allowed);
- nesting deeper than MAX_DEPTH, and more than MAX_NODES keys and values, as soon as they are met (the parser is lazy,
  so such a file stops early);
- explicit tags other than !!str, !!map and !!seq (`!vault`, `!!python/...`, `!!binary`, `!!int abc`...);
- merge keys (`<<`), keys that YAML reads as something other than a string (`2024:`, `on:`, `null:`, `[a, b]:`), keys
  holding a control character or outer whitespace, and keys set twice, at any depth.
Date-like values stay text: YAML 1.1 would build datetime objects (and raise a bare ValueError on `2024-13-45`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import ConfigError
from toolkit.safe_text import printable, text_problem

# A project config is a few dozen lines (the example is under 2 KB). The limit keeps the worst legal file to well under
# a second of parsing even without libyaml (about 1 s per 256 KiB there, measured), so every answer stays within 2 s.
MAX_CONFIG_BYTES = 256 * 1024
# The deepest path a config uses is gold.tables.<name>.partition_columns (5 levels).
MAX_DEPTH = 32
# Keys and values together; the example config has about 60 and a table costs 2-8. Composing costs ~11 us a value with
# libyaml and ~60 us without: 130 000 one-letter values fit under the size limit and took 1.5 s / 7.5 s to load.
MAX_NODES = 10_000
# False: PyYAML's pure-Python parser, which is what runs where PyYAML was built without libyaml (tests use it).
USE_LIBYAML = True

_YAML_TAG = "tag:yaml.org,2002:"
# Explicit tags a config may use: `!!str 012` keeps a number as text; !!map/!!seq change nothing.
_ALLOWED_TAGS = frozenset(_YAML_TAG + kind for kind in ("str", "map", "seq"))
# Implicit resolutions dropped from YAML 1.1: dates (text in a config) and the `=` value key (no constructor at all).
_DROPPED_IMPLICIT = frozenset({_YAML_TAG + "timestamp", _YAML_TAG + "value"})


@dataclass(frozen=True)
class ConfigYaml:
    root: Any  # the yaml node tree, for line numbers (None for an empty file)
    data: Any  # the plain Python values


class _Refused(Exception):
    def __init__(self, mark: Any, message: str):
        super().__init__(message)
        self.line = mark.line + 1
        self.message = message


def read_config_yaml(path: Path) -> ConfigYaml:
    """The config file's node tree and values, or ConfigError `file[:line]: problem` (see the module docstring)."""
    import yaml

    text = _read_bounded(path)
    loader = _loader_class(USE_LIBYAML and yaml.__with_libyaml__)(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _check_keys(root, path)
        data = loader.construct_document(root) if root is not None else None
    except _Refused as exc:
        raise ConfigError(f"{path}:{exc.line}: {exc.message}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(_invalid_yaml(exc, path, text)) from None
    finally:
        loader.dispose()
    return ConfigYaml(root, data)


def _invalid_yaml(exc: Any, path: Path, text: str) -> str:
    import yaml

    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    if isinstance(exc, yaml.reader.ReaderError):  # a control byte in the file: the error carries an offset, not a mark
        line = text[: exc.position].count("\n") + 1
    problem = printable(getattr(exc, "problem", None) or str(exc).splitlines()[0])
    if "maximum nesting depth" in problem:  # libyaml's own limit (1000) met while scanning ahead of the composer
        problem = f"the config nests deeper than {MAX_DEPTH} levels"
        return f"{path}:{line}: {problem}" if line else f"{path}: {problem}"
    return f"{path}:{line}: invalid YAML: {problem}" if line else f"{path}: invalid YAML: {problem}"


def _read_bounded(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found (pass --config PATH or create config/federation.yaml)") \
            from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: the config is larger than {MAX_CONFIG_BYTES // 1024} KiB, the most fedkit reads "
                          "(a project config is a few dozen lines: is this the right file?)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: cannot read config: not UTF-8 text (byte {raw[exc.start]:#04x})") from None


@functools.lru_cache(maxsize=2)
def _loader_class(libyaml: bool) -> type:
    """A safe loader whose composer refuses aliases, deep nesting and tags as it meets them (built lazily: `fedkit
    --help` imports no YAML)."""
    import yaml
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent
    from yaml.resolver import Resolver

    class ConfigResolver(Resolver):
        yaml_implicit_resolvers = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED_IMPLICIT]
            for first, resolvers in Resolver.yaml_implicit_resolvers.items()
        }

    class BoundedComposer(Composer):
        depth = 0
        nodes = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            self.nodes += 1
            if self.nodes > MAX_NODES:
                raise _Refused(event.start_mark, f"the config holds more than {MAX_NODES} keys and values "
                                                 "(a project config has a few hundred)")
            if isinstance(event, AliasEvent):
                raise _Refused(event.start_mark, f"YAML alias *{event.anchor} is not allowed in a config "
                                                 "(write the value out)")
            tag = getattr(event, "tag", None)
            if tag not in (None, "!") and tag not in _ALLOWED_TAGS:
                raise _Refused(event.start_mark, f"YAML tag {_shown_tag(tag)} is not allowed in a config "
                                                 "(plain values only; quote a value to keep it text)")
            collection = isinstance(event, (MappingStartEvent, SequenceStartEvent))
            if collection:
                self.depth += 1
                if self.depth > MAX_DEPTH:
                    raise _Refused(event.start_mark, f"the config nests deeper than {MAX_DEPTH} levels")
            try:
                return super().compose_node(parent, index)
            finally:
                if collection:
                    self.depth -= 1

    if libyaml:
        from yaml.cyaml import CParser

        parser: tuple[type, ...] = (CParser,)
    else:
        from yaml.parser import Parser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        parser = (Reader, Scanner, Parser)

    # The composer comes first so its methods win over the C parser's own composer; the events still come from C.
    class ConfigLoader(BoundedComposer, *parser, SafeConstructor, ConfigResolver):  # type: ignore[misc]
        def __init__(self, stream: str):
            if libyaml:
                CParser.__init__(self, stream)
            else:
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                Parser.__init__(self)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            ConfigResolver.__init__(self)

    return ConfigLoader


def _shown_tag(tag: str) -> str:
    if tag.startswith("!"):
        return tag
    if tag.startswith(_YAML_TAG):
        return "!!" + tag[len(_YAML_TAG):]
    return f"!<{tag}>"


def _check_keys(node: Any, path: Path, where: tuple[str, ...] = ()) -> None:
    """Every mapping key is a plain, safe string set once; the walk is bounded (no aliases, depth checked)."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        prefix = f"{'.'.join(where)}: " if where else ""
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            at = f"{path}:{line}: "
            if not isinstance(key_node, yaml.ScalarNode):
                kind = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
                raise ConfigError(f"{at}{prefix}a key must be a name, not a {kind}")
            if key_node.tag == _YAML_TAG + "merge":
                raise ConfigError(f"{at}{'.'.join((*where, '<<'))}: YAML merge keys (<<) are not allowed in a config "
                                  "(write the keys out)")
            if key_node.tag != _YAML_TAG + "str":
                kind = key_node.tag.removeprefix(_YAML_TAG)
                article = "an" if kind[:1] in "aeiou" else "a"
                raise ConfigError(f"{at}{prefix}key {key_node.value} is read by YAML as {article} {kind}, not a name; "
                                  f"quote it ({key_node.value!r})")
            key = key_node.value
            problem = text_problem(key)
            if problem is not None:
                raise ConfigError(f"{at}{prefix}key {key!r} {problem}")
            field = ".".join((*where, key))
            if key in first_line:
                raise ConfigError(f"{at}{field}: is set twice (first on line {first_line[key]}); keep one")
            first_line[key] = line
            _check_keys(value_node, path, (*where, key))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _check_keys(item, path, (*where, str(index)))
