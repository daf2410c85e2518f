"""Names from untrusted input (the config, `--identity` flags) are plain text, and anything echoed is shown safely.

A role name ending in a newline, a bucket with a leading space or a dataset holding a right-to-left override looks
right to a reviewer and is not what a cloud API or a generated policy should receive; a terminal escape echoed in an
error message rewrites the reader's screen. One check for all of them (pure, no imports beyond the standard library).
"""

from __future__ import annotations

import unicodedata

from toolkit.errors import UsageError

# Cc: C0 (\x00-\x1f), DEL and C1 (\x7f-\x9f, NEL \x85 included); Zl/Zp: U+2028/U+2029 (line breaks to JavaScript
# and many editors); Cf: invisible format characters (bidi overrides U+202A-202E/2066-2069, zero-width U+200B-200D,
# BOM); Cs: lone surrogates (YAML's "\ud800" escape), which cannot even be printed.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def text_problem(value: str) -> str | None:
    """Why `value` cannot be a name, or None: the first control/invisible character, else whitespace at an end."""
    for char in value:
        if unicodedata.category(char) in _UNSAFE_CATEGORIES:
            return f"holds a control character (U+{ord(char):04X})"
    if value != value.strip():
        return "starts or ends with whitespace"
    return None


def refuse_unsafe(value: str, where: str, secret: bool = False, what: str = "") -> str:
    """`value` unchanged, or UsageError `where: 'value' problem` (`what` names it instead of the value if secret)."""
    problem = text_problem(value)
    if problem is not None:
        shown = (what or "the value") if secret else repr(value)
        raise UsageError(f"{where}: {shown} {problem}")
    return value


def printable(text: str) -> str:
    """`text` with every character a terminal would act on escaped as in a Python literal (`\\x1b`, `\\n`)."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
