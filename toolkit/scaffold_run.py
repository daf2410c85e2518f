"""`fedkit init`'s shell: read the user's gold folder, check the config it would write, then write every file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from toolkit.errors import ConfigError, UsageError
from toolkit.scaffold import CONFIG, Answers, project_files, tables_from_catalog, write_files


def _read_gold(folder: Path, config_path: Path) -> Any:
    from toolkit.config import Config, LoadedConfig
    from toolkit.gold.schema import read_catalog

    if not folder.is_dir():
        raise UsageError(f"--from-gold {folder}: no such folder")
    loaded = LoadedConfig(Config.model_validate({"gold": {"local_dir": str(folder.resolve())}}), config_path)
    return read_catalog(loaded, "local")


def _local_dir(folder: Path, root: Path) -> str:
    """As the user will read it: relative to the project folder when inside it (fedkit runs from there)."""
    try:
        return folder.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(folder.resolve())


def _check_config(text: str) -> None:
    """The config init writes must load: a bad flag value is refused now, naming the flag's field (exit 2)."""
    from toolkit.config import load_config

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "federation.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_config(path)
        except ConfigError as exc:
            raise UsageError("fedkit init: " + exc.message.replace(str(path), CONFIG) + " (from the flags given)") from None


def _shipped_templates() -> dict[str, str]:
    """fedkit's registration templates as project files (`sql/ddl/<engine>/<name>.sql.j2`), for the team to own."""
    from toolkit.sql.ddl import PROJECT_TEMPLATE_DIR, TEMPLATE_DIR

    return {(PROJECT_TEMPLATE_DIR / p.relative_to(TEMPLATE_DIR)).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(TEMPLATE_DIR.rglob("*.sql.j2"))}


def init_project(directory: Path, *, from_gold: Path | None = None, ddl: bool = False,
                 **flags: str | None) -> dict[str, Any]:
    import json

    from toolkit import __version__
    from toolkit.config_schema import schema_text

    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root}: not a folder")
    tables: dict[str, list[str]] = {}
    snapshot = None
    local_dir = None
    if from_gold is not None:
        gold = from_gold if from_gold.is_absolute() else Path(os.getcwd()) / from_gold
        catalog = _read_gold(gold, root / CONFIG)
        tables = tables_from_catalog(catalog)
        # The schemas `validate --catalog` reads (the same document as `fedkit gold schema --output json`, without
        # the per-engine type columns that command adds for people).
        snapshot = json.dumps(catalog.to_json(), indent=2, sort_keys=True) + "\n"
        local_dir = _local_dir(gold, root)
    answers = Answers(local_dir=local_dir, tables=tables, **flags)
    files = project_files(answers, schema_text(), __version__, snapshot)
    if ddl:
        files.update(_shipped_templates())
    _check_config(files[CONFIG])
    root.mkdir(parents=True, exist_ok=True)
    written, notices = write_files(root, files)
    return {"directory": str(directory), "written": written, "notices": notices, "tables": sorted(tables)}
