"""The config's JSON Schema, from the pydantic model (`fedkit config schema`; `fedkit init` writes it beside the
config so editors complete and check `federation.yaml`)."""

from __future__ import annotations

import json
from typing import Any


def json_schema() -> dict[str, Any]:
    from toolkit.config import Config

    schema = Config.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "fedkit project config"
    return schema


def schema_text() -> str:
    """The schema as committed: sorted keys, two-space indent, one final newline."""
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
