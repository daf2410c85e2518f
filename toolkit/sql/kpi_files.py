"""KPI files: one query per `*.sql` file, with a leading `-- key: value` header (name, description, grain, ...)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import UsageError

# KPI files and DDL templates come from pull requests: anything larger is refused before parsing (README, "Security").
MAX_SQL_FILE_BYTES = 1_000_000
# Compiling and checking a KPI on every engine grows with its size (measured with `fedkit validate`, all engines, on
# this 2-core machine: a 10,000-value IN list (20,000 tokens) takes 6 s beyond the 4 s start-up, 20,000 values
# 15 s, 100,000 values 75 s and 1 GB of memory), so a KPI with more SQL tokens than this is refused with the reason.
MAX_KPI_TOKENS = 20_000
# An unclosed quote or comment runs to the end (never a failed scan per position: that would be quadratic).
_TOKEN = re.compile(r"'(?:[^']|'')*(?:'|\Z)|\"[^\"]*(?:\"|\Z)|--[^\n]*|/\*.*?(?:\*/|\Z)|\w+|[^\s\w]", re.DOTALL)
HEADER_KEYS = ("name", "description", "grain", "owner", "tags", "chart", "x", "y", "format")
# What the HTML report may be told about a KPI's chart (toolkit/report/chart_spec.py reads them).
CHART_KINDS = ("bar", "line", "stat", "none")
VALUE_FORMATS = ("percent", "currency", "integer", "date", "number")
# The value is stripped in Python: a lazy `(.*?)\s*$` is quadratic on a long run of spaces inside a line.
_HEADER_LINE = re.compile(r"^--\s*([A-Za-z_][A-Za-z0-9_-]*)\s*:(.*)$")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class KpiFile:
    name: str
    path: Path
    text: str  # raw file text (header and Jinja included)
    header: dict[str, Any] = field(default_factory=dict)
    body_offset_lines: int = 0  # lines before the SQL body starts
    header_lines: dict[str, int] = field(default_factory=dict)  # key -> its line, for messages naming file:line

    @property
    def description(self) -> str:
        return str(self.header.get("description", ""))

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(self.header.get("tags", ()))


def shown_value(value: str, limit: int = 60) -> str:
    """A value from the file for an error message: quoted, and cut short (a header line can be a megabyte)."""
    return repr(value) if len(value) <= limit else repr(value[:limit]) + f"… ({len(value):,} characters)"


def _parse_tags(value: str, where: str) -> list[str]:
    text = value.strip()
    if text.startswith("["):
        if not text.endswith("]"):
            raise UsageError(f"{where}: tags: expected a list like [revenue, orders], got {shown_value(value)}")
        text = text[1:-1]
    return [tag.strip().strip("'\"") for tag in text.split(",") if tag.strip()]


def _choice(key: str, value: str, allowed: tuple[str, ...], where: str) -> str:
    if value.lower() not in allowed:
        raise UsageError(f"{where}: {key}: {shown_value(value)} is not one of {', '.join(allowed)}")
    return value.lower()


def parse_header(text: str, path: Path, lines_out: dict[str, int] | None = None) -> tuple[dict[str, Any], int]:
    """The header block (leading `-- key: value` lines, blank lines allowed) and the line count before the body.
    `lines_out`, when given, receives the line of every key read."""
    header: dict[str, Any] = {}
    lines = text.splitlines()
    offset = 0
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            offset = number
            continue
        if not stripped.startswith("--"):
            break
        match = _HEADER_LINE.match(stripped)
        offset = number
        if match is None:
            continue  # a free comment line inside the header
        key, value = match.group(1).lower(), match.group(2).strip()
        where = f"{path}:{number}"
        if key not in HEADER_KEYS:
            continue  # other comment keys (e.g. `-- expect:` in test corpora) are left to their readers
        if key in header:
            raise UsageError(f"{where}: header key {key!r} is repeated")
        if key == "tags":
            header[key] = _parse_tags(value, where)
        elif key == "name":
            if not _NAME_RE.match(value):
                raise UsageError(f"{where}: name: {shown_value(value)} is not a plain name (letters, digits, '_')")
            header[key] = value
        elif key in ("x", "y"):
            if not _NAME_RE.match(value):
                raise UsageError(f"{where}: {key}: {shown_value(value)} is not a column name")
            header[key] = value
        elif key == "chart":
            header[key] = _choice(key, value, CHART_KINDS, where)
        elif key == "format":
            header[key] = _choice(key, value, VALUE_FORMATS, where)
        else:
            header[key] = value
        if lines_out is not None:
            lines_out[key] = number
    return header, offset


def read_sql_text(path: Path) -> str:
    """A SQL file's text (UTF-8, a leading BOM dropped); UsageError `path:line: not UTF-8 text (byte 0x.. at column N)`
    when it is not UTF-8, with the line and (character) column of the first bad byte, as an editor shows them.
    Every reader of KPI files and DDL templates comes through here: a file over MAX_SQL_FILE_BYTES is refused
    before it is parsed (reading stops one byte past the limit, whatever the file claims to be)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SQL_FILE_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_SQL_FILE_BYTES:
        raise UsageError(f"{path}: larger than the {MAX_SQL_FILE_BYTES:,}-byte limit for a SQL file (1 MB); "
                         "split it, or move long value lists into a gold table")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        # The bytes before the first bad one decode: count characters, not bytes, for the column.
        column = len(data[line_start : exc.start].decode("utf-8")) + 1
        raise UsageError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column}); save the file as UTF-8"
        ) from None


def check_kpi_tokens(text: str, path: Path) -> None:
    """Refuse a KPI with more than MAX_KPI_TOKENS SQL tokens (comments not counted; a quick count, not a parse)."""
    count = 0
    for match in _TOKEN.finditer(text):
        if not match.group().startswith(("--", "/*")):
            count += 1
    if count > MAX_KPI_TOKENS:
        raise UsageError(f"{path}: {count:,} SQL tokens, more than the {MAX_KPI_TOKENS:,} a KPI may have (checking "
                         "grows with size: a 100,000-value IN list takes over a minute); move long value lists into "
                         "a gold table and join it")


def load_kpi_file(path: Path) -> KpiFile:
    text = read_sql_text(path)
    check_kpi_tokens(text, path)
    lines: dict[str, int] = {}
    header, offset = parse_header(text, path, lines)
    name = header.get("name") or path.stem
    if not _NAME_RE.match(name):
        raise UsageError(f"{path}:1: KPI name {shown_value(name)} is not a plain name; add `-- name: some_name`")
    header.setdefault("name", name)
    return KpiFile(name=name, path=path, text=text, header=header, body_offset_lines=offset, header_lines=lines)


def load_kpi_files(paths: list[Path]) -> list[KpiFile]:
    """KPI files from files or folders (`*.sql`, sorted); a missing path or two KPIs with one name is a UsageError."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.sql") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such KPI file or folder")
    kpis: list[KpiFile] = []
    seen: dict[str, Path] = {}
    for file in files:
        kpi = load_kpi_file(file)
        if kpi.name in seen:
            raise UsageError(f"{file}:1: KPI name {kpi.name!r} is already used by {seen[kpi.name]}")
        seen[kpi.name] = file
        kpis.append(kpi)
    return sorted(kpis, key=lambda k: (str(k.path.parent), k.path.name))
