"""Silence sqlglot's logger around code whose warnings are not the user's to act on."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def quiet_sqlglot() -> Iterator[None]:
    """sqlglot logs 'unsupported' warnings to stderr; where fedkit handles the case itself (a Command fallback it
    checks by shape) or where the translation is fakesnow's own (an oracle's internals), they are noise."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
