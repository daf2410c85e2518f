"""The `glue:` section: the Glue Data Catalog database fedkit registers the gold tables in (issue 17)."""

from __future__ import annotations

import re

from pydantic import field_validator

from toolkit.config_section import Section

# Athena "Name databases, tables, and columns" (docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html):
# lower-case letters, digits and underscore only; Glue stores names in lower case, so a mixed-case name would never be
# found again under the name the config gives it (a second apply would plan a create). At most 255 characters (Glue
# API "Database" structure, Name). re.ASCII and \Z as in toolkit.config.
_GLUE_NAME_RE = re.compile(r"^[a-z0-9_]{1,255}\Z", re.ASCII)
_ACCOUNT_RE = re.compile(r"^\d{12}\Z", re.ASCII)


class GlueConfig(Section):
    """`database` (created when missing) and `catalog_id` (the catalog's AWS account; default: aws.account_id)."""

    database: str
    catalog_id: str | None = None

    @field_validator("database")
    @classmethod
    def _database(cls, value: str) -> str:
        if not _GLUE_NAME_RE.match(value):
            raise ValueError("must be lower-case letters, digits and '_' (1-255): Athena and Glue names are lower case")
        return value

    @field_validator("catalog_id", mode="before")
    @classmethod
    def _catalog(cls, value: object) -> str | None:
        if value is None:
            return None
        text = str(value)
        if not _ACCOUNT_RE.match(text):
            raise ValueError("must be a 12-digit AWS account id (the Data Catalog's id is its account's)")
        return text
