"""Names that come from the gold data itself (Parquet columns, table folders), kept apart from config names.

A config name may be written `"Quoted"` to keep its exact case on Snowflake (`toolkit.sql.ddl.sf_ident`). A name read
from the data never carries that meaning: a Parquet column literally named `"q"` is the three-character name, quotes included. `ExactName` marks such names so the quoting filters know which rule
applies; `GoldTable` and `Column` make every name they hold one.
"""

from __future__ import annotations


class ExactName(str):
    """A name that means exactly its text (from a Parquet footer or a folder), never a quoted config name."""

    __slots__ = ()


def exact(name: str) -> ExactName:
    return name if isinstance(name, ExactName) else ExactName(name)
