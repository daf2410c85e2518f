"""Map a position in compiled SQL back to the KPI file as the user wrote it (pure).

Engines report errors against the compiled text, which sqlglot reformats (pretty printing, renamed functions,
qualified table names, added `NULLS LAST`). The file's own coordinates are recovered by aligning tokens:

1. tokenize the compiled text (engine dialect) and the source (the file with `{{ ref() }}` rendered to bare
   names, which keeps every line where it was) with sqlglot's tokenizers;
2. align the two token sequences with difflib on normalised keys (lower-case text, the last part of a dotted
   identifier, so `` `p.gold.fact_sales` `` and `ANALYTICS.GOLD.FACT_SALES` both match `fact_sales`);
3. the compiled token at the error maps to the aligned source token; a token the compiler added maps to the
   next source token (or the previous one at the end), a replaced run maps position by position;
4. on a line that had a `{{ ref() }}`, the column is re-found in the raw line, so it points at what the user typed.

When an engine names the culprit but gives no usable position (the Snowflake qualifier, fakesnow, DuckDB), the
name's first occurrence in the compiled text is mapped the same way (`locate_name`).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Tok:
    key: str
    text: str
    start: int  # character offset of the first character
    end: int  # character offset of the last character


def tokens(sql: str, dialect: str) -> list[Tok]:
    """sqlglot tokens with normalised keys; [] when the text does not tokenize."""
    import sqlglot
    from sqlglot.errors import TokenError
    from sqlglot.tokens import TokenType

    try:
        raw = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
    except (TokenError, ValueError):
        return []
    result = []
    for token in raw:
        text = token.text
        key = text.lower()
        if token.token_type in (TokenType.IDENTIFIER, TokenType.VAR):
            key = key.split(".")[-1]
        elif token.token_type == TokenType.STRING:
            key = "'" + key
        result.append(Tok(key, text, token.start, token.end))
    return result


def offset_of(text: str, line: int, column: int) -> int:
    """Character offset of a 1-based line:column (clamped to the text)."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return 0
    line = max(1, min(line, len(lines)))
    return min(sum(len(part) for part in lines[: line - 1]) + max(column, 1) - 1, len(text))


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line:column of a character offset."""
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


def _token_at(toks: Sequence[Tok], offset: int) -> int | None:
    for index, tok in enumerate(toks):
        if tok.end >= offset:
            return index
    return len(toks) - 1 if toks else None


def _map_index(compiled: Sequence[Tok], source: Sequence[Tok], index: int) -> int | None:
    if not source:
        return None
    matcher = difflib.SequenceMatcher(None, [t.key for t in compiled], [t.key for t in source], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if not i1 <= index < i2:
            continue
        if tag == "equal":
            return j1 + (index - i1)
        if tag == "replace":
            return j1 + min(index - i1, j2 - j1 - 1)
        return min(j1, len(source) - 1)  # tokens only the compiler wrote: the next source token
    return len(source) - 1


def map_position(compiled_sql: str, engine: str, source_sql: str, source_dialect: str, line: int, column: int,
                 raw_text: str | None = None) -> tuple[int, int] | None:
    """(line, column) in the source for a 1-based position in the compiled text; None when it cannot be mapped."""
    compiled = tokens(compiled_sql, engine)
    index = _token_at(compiled, offset_of(compiled_sql, line, column))
    if index is None:
        return None
    return _source_position(compiled, index, source_sql, source_dialect, raw_text)


def locate_name(name: str, compiled_sql: str, engine: str, source_sql: str, source_dialect: str,
                raw_text: str | None = None) -> tuple[int, int] | None:
    """Position in the source of the first compiled token named `name` (case-insensitive, unquoted), else of the
    first such token in the source itself; None when the name appears nowhere."""
    key = name.strip('"`').lower().split(".")[-1]
    compiled = tokens(compiled_sql, engine)
    for index, tok in enumerate(compiled):
        if tok.key == key:
            return _source_position(compiled, index, source_sql, source_dialect, raw_text)
    for tok in tokens(source_sql, source_dialect):
        if tok.key == key:
            return _adjust(line_col(source_sql, tok.start), tok, source_sql, raw_text)
    return None


def _source_position(compiled: Sequence[Tok], index: int, source_sql: str, source_dialect: str,
                     raw_text: str | None) -> tuple[int, int] | None:
    source = tokens(source_sql, source_dialect)
    target = _map_index(compiled, source, index)
    if target is None:
        return None
    tok = source[target]
    return _adjust(line_col(source_sql, tok.start), tok, source_sql, raw_text)


def source_line_to_raw(source_sql: str, raw_text: str, line: int) -> int:
    """The raw file's line for a line of the rendered source: identical lines align; a multi-line Jinja comment or
    block that rendered to fewer lines is skipped over (difflib on lines)."""
    return _line_map(source_sql, raw_text)[min(max(line, 1), max(len(source_sql.splitlines()), 1)) - 1]


@lru_cache(maxsize=64)
def _line_map(source_sql: str, raw_text: str) -> tuple[int, ...]:
    source_lines, raw_lines = source_sql.splitlines(), raw_text.splitlines()
    if len(source_lines) == len(raw_lines):
        return tuple(range(1, len(source_lines) + 1)) or (1,)
    mapping = list(range(1, len(source_lines) + 1))
    matcher = difflib.SequenceMatcher(None, source_lines, raw_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for i in range(i1, i2):
            if tag == "equal":
                mapping[i] = j1 + (i - i1) + 1
            elif j2 > j1:
                mapping[i] = j1 + min(i - i1, j2 - j1 - 1) + 1
            else:
                mapping[i] = min(j1 + 1, len(raw_lines))
    return tuple(mapping) or (1,)


def _adjust(position: tuple[int, int], tok: Tok, source_sql: str, raw_text: str | None) -> tuple[int, int]:
    """Back to the raw file: its line (Jinja may have removed lines), and on a line whose `{{ ref() }}` was rendered,
    the column where the user typed the token."""
    line, column = position
    if raw_text is None:
        return position
    raw_lines, source_lines = raw_text.splitlines(), source_sql.splitlines()
    if line > len(source_lines):
        return position
    raw_no = source_line_to_raw(source_sql, raw_text, line)
    if raw_no > len(raw_lines) or raw_lines[raw_no - 1] == source_lines[line - 1]:
        return raw_no, column
    raw_line = raw_lines[raw_no - 1]
    ref = re.search(r"\{\{\s*ref\(\s*['\"]" + re.escape(tok.text) + r"['\"]\s*\)\s*\}\}", raw_line, re.IGNORECASE)
    if ref:
        return raw_no, ref.start() + 1
    word = r"(?<![\w$])" + re.escape(tok.text) + r"(?![\w$])"
    matches = list(re.finditer(word, raw_line, re.IGNORECASE))
    if matches:
        # several occurrences: the one at the same count from the line start as in the rendered line
        nth = len(re.findall(word, source_lines[line - 1][: column - 1], re.IGNORECASE))
        return raw_no, matches[min(nth, len(matches) - 1)].start() + 1
    return raw_no, column


def raw_position(source_sql: str, raw_text: str, line: int, column: int | None,
                 dialect: str = "duckdb") -> tuple[int, int | None]:
    """A position in the ref-rendered source as a position in the raw file (same line; column re-found)."""
    if column is None:
        return source_line_to_raw(source_sql, raw_text, line), None
    source_lines = source_sql.splitlines()
    if line > len(source_lines):
        return line, column
    line_start = offset_of(source_sql, line, 1)
    offset = line_start + column - 1
    for tok in tokens(source_sql, dialect):
        if tok.start <= offset <= tok.end:
            return _adjust((line, tok.start - line_start + 1), tok, source_sql, raw_text)
    return source_line_to_raw(source_sql, raw_text, line), column
