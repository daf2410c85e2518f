"""Map a position in rendered DDL back to the Jinja template line that produced it (pure, best effort).

A template line is literal SQL with `{{ … }}` / `{% … %}` holes. The rendered line it produced contains its literal
pieces in order, so the template line whose pieces are all found, in order, in the rendered line (the most literal
text wins) is the one the user should edit. When the error column falls inside a literal piece, the column is
carried over; otherwise it points at the line's first non-blank character.
"""

from __future__ import annotations

import re

_HOLE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


def _pieces(template_line: str) -> list[tuple[int, str]]:
    """(offset, text) of the literal pieces of one template line, blank ones dropped."""
    pieces, last = [], 0
    for match in list(_HOLE.finditer(template_line)) + [None]:
        end = match.start() if match else len(template_line)
        text = template_line[last:end]
        if text.strip():
            pieces.append((last, text))
        last = match.end() if match else end
    return pieces


def _match(pieces: list[tuple[int, str]], rendered: str) -> list[tuple[int, int, str]] | None:
    """[(template offset, rendered offset, text)] when every piece is found in order in `rendered`."""
    found, at = [], 0
    for offset, text in pieces:
        stripped = text.strip()
        index = rendered.find(stripped, at)
        if index < 0:
            return None
        found.append((offset + (len(text) - len(text.lstrip())), index, stripped))
        at = index + len(stripped)
    return found


def template_position(template: str, rendered_sql: str, line: int | None,
                      column: int | None) -> tuple[int, int] | None:
    """1-based (line, column) in `template` for a 1-based position in `rendered_sql`; None when no line matches."""
    rendered_lines = rendered_sql.splitlines()
    if line is None or not 1 <= line <= len(rendered_lines):
        return None
    rendered = rendered_lines[line - 1]
    # a Jinja comment's lines hold no SQL: blank them, keeping the line count
    lines = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), template).splitlines()
    best: tuple[int, int, list[tuple[int, int, str]]] | None = None  # (literal length, line number, matches)
    for number, text in enumerate(lines, start=1):
        pieces = _pieces(text)
        matches = _match(pieces, rendered) if pieces else None
        if matches:
            size = sum(len(t) for _, _, t in matches)
            if best is None or size > best[0]:
                best = (size, number, matches)
    if best is None:
        return None
    _, number, matches = best
    if column is not None:
        for template_offset, rendered_offset, text in matches:
            if rendered_offset < column <= rendered_offset + len(text):
                return number, template_offset + (column - rendered_offset)
    source = lines[number - 1]
    return number, len(source) - len(source.lstrip()) + 1
