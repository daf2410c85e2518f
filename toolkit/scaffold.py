"""`fedkit init`: the files of a new project, as text (pure), and writing them without overwriting anything.

The config holds only what the user gave (flags, the tables found under --from-gold); every other section is
there commented out, so the file documents itself. Writing refuses the whole init, before any file is written,
when one of the files already exists: a half-scaffolded project mixed with the user's own files is worse than none.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.gold.model import GoldCatalog

CONFIG = "config/federation.yaml"
SCHEMA = "config/federation.schema.json"
SNAPSHOT = "gold-schema.json"
WORKFLOW = ".github/workflows/fedkit-validate.yml"
PRE_COMMIT = ".pre-commit-config.yaml"
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z", re.ASCII)


@dataclass(frozen=True)
class Answers:
    """What the user gave (flags); None means "not given": the config keeps it commented out."""

    local_dir: str | None = None
    bucket: str | None = None
    prefix: str | None = None
    aws_account_id: str | None = None
    aws_region: str | None = None
    bigquery_project: str | None = None
    bigquery_location: str | None = None
    snowflake_connection: str | None = None
    snowflake_database: str | None = None
    source_dialect: str | None = None
    tables: dict[str, list[str]] = field(default_factory=dict)  # table -> partition columns (from --from-gold)


_PLAIN_SCALAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_./-]*\Z", re.ASCII)
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def _q(value: str) -> str:
    """A YAML scalar that reads back as exactly this string: plain when unambiguous, else a JSON string (valid YAML)."""
    if _PLAIN_SCALAR.match(value) and value.lower() not in _YAML_WORDS:
        return value
    return json.dumps(value)


def config_text(answers: Answers) -> str:
    a = answers
    lines = [
        "# fedkit project config. Only `gold` is required; uncomment the sections you use.",
        f"# Editors complete and check it with the JSON Schema beside it ({Path(SCHEMA).name}, also `fedkit config schema`).",
        f"# yaml-language-server: $schema={Path(SCHEMA).name}",
        "version: 1",
        "",
        # a section of comments only would read as null: an empty mapping keeps `gold` valid until it is filled
        "gold:" if (a.local_dir or a.bucket or a.prefix or a.tables) else "gold: {}",
    ]
    lines.append(f"  local_dir: {_q(a.local_dir)}   # the gold Parquet on this machine (DuckDB, validate, parity)"
                 if a.local_dir else "  # local_dir: data/gold   # the gold Parquet on this machine (DuckDB, validate, parity)")
    lines.append(f"  bucket: {_q(a.bucket)}" if a.bucket else
                 "  # bucket: my-gold-bucket   # needed where S3 is used: an aws section, gold publish, gold schema --source s3")
    lines.append(f"  prefix: {_q(a.prefix)}" if a.prefix else "  # prefix: gold/")
    if a.tables:
        lines.append("  tables:   # found under local_dir; a table not listed is still discovered")
        for name, partitions in sorted(a.tables.items()):
            if partitions:
                lines += [f"    {_q(name)}:", f"      partition_columns: [{', '.join(_q(p) for p in partitions)}]"]
            else:
                lines.append(f"    {_q(name)}: {{}}")
    else:
        lines += ["  # tables:", "  #   fact_sales:", "  #     partition_columns: [order_month]"]
    lines.append("")
    if a.aws_account_id or a.aws_region:
        lines += ["aws:   # the IAM role BigQuery Omni and Snowflake assume to read s3://bucket/prefix"]
        lines.append(f"  account_id: {_q(a.aws_account_id)}" if a.aws_account_id else '  account_id: "123456789012"')
        lines.append(f"  region: {_q(a.aws_region)}" if a.aws_region else "  region: us-east-1")
        lines.append("  # role_name: fedkit-gold-reader")
    else:
        lines += ["# aws:   # the IAM role BigQuery Omni and Snowflake assume to read s3://bucket/prefix",
                  '#   account_id: "123456789012"', "#   region: us-east-1", "#   role_name: fedkit-gold-reader"]
    lines.append("")
    if a.bigquery_project:
        lines += ["bigquery:", f"  project: {_q(a.bigquery_project)}"]
        lines.append(f"  location: {_q(a.bigquery_location)}" if a.bigquery_location else "  # location: aws-us-east-1")
        lines += ["  # dataset: gold", "  # connection_id: fedkit_gold"]
    else:
        lines += ["# bigquery:", "#   project: my-gcp-project", "#   location: aws-us-east-1", "#   dataset: gold",
                  "#   connection_id: fedkit_gold"]
    lines.append("")
    if a.snowflake_connection or a.snowflake_database:
        lines.append("snowflake:")
        lines.append(f"  connection_name: {_q(a.snowflake_connection)}   # in connections.toml"
                     if a.snowflake_connection else "  # connection_name: default   # in connections.toml")
        lines.append(f"  database: {_q(a.snowflake_database)}" if a.snowflake_database else "  # database: ANALYTICS")
        lines += ["  # schema: GOLD"]
    else:
        lines += ["# snowflake:", "#   connection_name: default   # in connections.toml", "#   database: ANALYTICS",
                  "#   schema: GOLD"]
    lines.append("")
    if a.source_dialect:
        lines += ["kpi:", f"  source_dialect: {_q(a.source_dialect)}", "  # paths: [sql/kpi]"]
    else:
        lines += ["# kpi:", "#   source_dialect: duckdb   # or bigquery, snowflake", "#   paths: [sql/kpi]"]
    return "\n".join(lines) + "\n"


def example_kpi(tables: dict[str, list[str]]) -> str:
    plain = sorted(name for name in tables if _PLAIN_NAME.match(name))
    table = plain[0] if plain else "my_table"
    note = "" if plain else "-- Replace my_table with one of your gold tables.\n"
    return (
        f"-- name: row_count_{table.lower()}\n"
        f"-- description: Rows in {table} (an example KPI: copy it, then write yours; one KPI per file)\n"
        "-- grain: table\n"
        "-- owner: data-team\n"
        "-- tags: [example]\n"
        f"{note}"
        "SELECT COUNT(*) AS row_count\n"
        f"FROM {{{{ ref('{table}') }}}}\n"
    )


def workflow_text(version: str) -> str:
    return f"""\
# fedkit validate on every pull request: offline, no cloud credentials. The gold schemas come from the committed
# snapshot {SNAPSHOT} (refresh it with `fedkit gold schema --output json > {SNAPSHOT}` when columns change).
name: fedkit validate
on: [pull_request]
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
          cache: pip
      - uses: actions/cache@v4          # the compiled ZetaSQL module (skips its compile on later runs)
        with:
          path: ~/.cache/fedkit
          key: fedkit-zetasql-${{{{ runner.os }}}}-{version}
      - run: pip install "fedkit-gold=={version}"
      - run: fedkit validate --catalog {SNAPSHOT} --output github --junit-file reports/validate.xml
"""


def pre_commit_text() -> str:
    return f"""\
# pre-commit (https://pre-commit.com): `pre-commit install`, then every commit touching SQL, the config or the
# gold schema snapshot validates the whole project offline (a KPI can break when a table changes, not only when
# it is edited). Uses the fedkit installed in this environment (`pip install fedkit-gold`).
repos:
  - repo: local
    hooks:
      - id: fedkit-validate
        name: fedkit validate
        entry: fedkit validate --catalog {SNAPSHOT}
        language: system
        pass_filenames: false
        files: '(\\.sql|\\.sql\\.j2|federation\\.yaml|iam/.*\\.json|{re.escape(SNAPSHOT)})$'
"""


def project_files(answers: Answers, schema: str, version: str, snapshot: str | None) -> dict[str, str]:
    """Relative path -> text of every file `fedkit init` writes (the snapshot only when gold was read)."""
    first_kpi = example_kpi(answers.tables)
    kpi_name = first_kpi.split("\n", 1)[0].removeprefix("-- name: ")
    files = {
        CONFIG: config_text(answers),
        SCHEMA: schema,
        f"sql/kpi/{kpi_name}.sql": first_kpi,
        ".gitignore": "# fedkit's local state (sandbox, caches, locks)\n.fedkit/\n",
        WORKFLOW: workflow_text(version),
        PRE_COMMIT: pre_commit_text(),
    }
    if snapshot is not None:
        files[SNAPSHOT] = snapshot
    return files


def tables_from_catalog(catalog: "GoldCatalog") -> dict[str, list[str]]:
    return {t.name: list(t.partition_columns) for t in catalog.tables}


# Files a repository usually has already: kept as they are, with a notice saying what to add (refusing the whole
# init for an existing .gitignore would make init unusable in the repositories it is for).
SHARED_NOTICES = {
    ".gitignore": "add the line `.fedkit/` (fedkit's local state) to it",
    PRE_COMMIT: f"add a local hook running `fedkit validate --catalog {SNAPSHOT}` (pass_filenames: false) to it",
}


def write_files(root: Path, files: dict[str, str]) -> tuple[list[str], list[str]]:
    """Write every file under `root`, never replacing one: (written, notices). An existing shared file (.gitignore,
    pre-commit config) is kept with a notice; any other existing file stops the init before anything is written
    (UsageError, exit 2)."""
    def exists(name: str) -> bool:
        return (root / name).exists() or (root / name).is_symlink()

    existing = [name for name in files if exists(name) and name not in SHARED_NOTICES]
    if existing:
        shown = ", ".join(str(root / name) for name in existing[:3]) + (", …" if len(existing) > 3 else "")
        raise UsageError(f"fedkit init never overwrites a file: {shown} already exist(s); nothing was written "
                         "(move them away, or init another folder)")
    written, notices = [], []
    for name, text in files.items():
        path = root / name
        if exists(name):
            if name != ".gitignore" or ".fedkit/" not in path.read_text(encoding="utf-8", errors="replace").split():
                notices.append(f"kept your {root / name}: {SHARED_NOTICES[name]}")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:  # "x": never replace a file that appeared meanwhile
            handle.write(text)
        written.append(name)
    return written, notices
