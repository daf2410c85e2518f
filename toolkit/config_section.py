"""The base of every config section: frozen, no unknown keys, and one plain-text check for every name and path."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from toolkit.config_errors import SectionTextError
from toolkit.safe_text import text_problem


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, data: Any) -> Any:
        """Every name and path in every section is plain text: one check, run before the fields' own (some strip,
        and a regex `$` also matches before a final newline, which let a role name ending in a newline through)."""
        if isinstance(data, dict):
            for name, value in data.items():
                _refuse_unsafe_text(str(name), value)
        return data


def _refuse_unsafe_text(name: str, value: Any) -> None:
    """A field's text, its list items and its mapping's keys (table names) pass `safe_text.text_problem`."""
    if isinstance(value, str):
        items = [((name,), value)]
    elif isinstance(value, list):
        items = [((name, str(index)), item) for index, item in enumerate(value) if isinstance(item, str)]
    else:
        items = []
    for sub, text in items:
        problem = text_problem(text)
        if problem is not None:
            raise SectionTextError(sub, problem)
    for key in value if isinstance(value, dict) else ():
        problem = text_problem(key) if isinstance(key, str) else None
        if problem is not None:
            raise SectionTextError((name,), f"key {key!r} {problem}", shows_value=True)
