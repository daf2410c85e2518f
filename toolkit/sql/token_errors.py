"""Where a SQL text fails to tokenize (pure).

sqlglot's `TokenError` says only `Error tokenizing '<100 characters of context>'`: no line, no column, and the
context spans several lines. The usual cause is a quote that is never closed, so the text is scanned the way the
dialect's tokenizer reads it (its comments, quotes, identifier quotes and string escapes) to find the opening
quote; anything else falls back to the offset the context snippet is centred on.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.sql.validate.positions import line_col


@dataclass(frozen=True)
class TokenProblem:
    message: str
    line: int
    column: int


def _unclosed_quote(sql: str, dialect: str) -> tuple[int, str] | None:
    """(offset, quote) of a string or quoted identifier that runs to the end of `sql`, else None."""
    import sqlglot

    tokenizer = sqlglot.Dialect.get_or_raise(dialect).tokenizer_class
    line_comments = [c for c in tokenizer.COMMENTS if isinstance(c, str)]
    block_comments = [c for c in tokenizer.COMMENTS if not isinstance(c, str)]
    quotes = sorted((q for q in list(tokenizer.QUOTES) + list(tokenizer.IDENTIFIERS) if isinstance(q, str)),
                    key=len, reverse=True)  # `'''` before `'`
    backslash = "\\" in tokenizer.STRING_ESCAPES
    i, n = 0, len(sql)
    while i < n:
        line_comment = next((c for c in line_comments if sql.startswith(c, i)), None)
        if line_comment:
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        block = next((c for c in block_comments if sql.startswith(c[0], i)), None)
        if block:
            end = sql.find(block[1], i + len(block[0]))
            i = n if end < 0 else end + len(block[1])
            continue
        quote = next((q for q in quotes if sql.startswith(q, i)), None)
        if quote is None:
            i += 1
            continue
        j = i + len(quote)
        while True:
            if j >= n:
                return i, quote
            if backslash and sql[j] == "\\":
                j += 2
                continue
            if sql.startswith(quote, j):
                if len(quote) == 1 and sql.startswith(quote, j + 1):
                    j += 2  # a doubled quote ('it''s') is the quote character itself
                    continue
                break
            j += 1
        i = j + len(quote)
    return None


def token_problem(sql: str, dialect: str, start: int | None, end: int | None) -> TokenProblem:
    """Why and where `sql` does not tokenize; `start`/`end` are the TokenError's context offsets."""
    found = _unclosed_quote(sql, dialect)
    if found is not None:
        offset, quote = found
        line, column = line_col(sql, offset)
        kind = "quoted identifier" if quote in ('"', "`") and quote not in _string_quotes(dialect) else "string"
        return TokenProblem(f"unterminated {kind}: the {quote} opened here is never closed", line, column)
    # the context is sql[current - 50 : current + 50], clamped to the text
    if start is not None and start > 0:
        offset = start + 50
    elif end is not None and end < len(sql) - 1:
        offset = max(end - 50, 0)
    else:
        offset = 0
    line, column = line_col(sql, min(offset, len(sql)))
    return TokenProblem("cannot tokenize the text here", line, column)


def _string_quotes(dialect: str) -> set[str]:
    import sqlglot

    return {q for q in sqlglot.Dialect.get_or_raise(dialect).tokenizer_class.QUOTES if isinstance(q, str)}
