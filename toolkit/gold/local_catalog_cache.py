"""The gold catalog of `gold.local_dir`, cached under `.fedkit/gold-catalog.json` so commands that only need the
schemas (`fedkit validate`) do not import pyarrow and read every Parquet footer on each run.

Key: the folder's resolved path, the relative path, size and modification time (ns) of every file under it, the
config's gold and aws sections (declared tables, partition columns, region), fedkit's code and pyarrow's version.
Writing a Parquet file changes its size or mtime, adding or removing one changes the listing: either is a miss and
the catalog is read again with `toolkit.gold.schema.read_catalog` (which also raises every error it raises today;
a catalog is cached only once it was read without error). The file is JSON, parsed back through
`GoldCatalog.from_json` and the same name checks as a `--catalog` snapshot: anything else is a miss, never an
error. At most `MAX_ENTRIES` catalogs are kept (the newest).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog

CACHE_NAME = "gold-catalog.json"
VERSION = 1
MAX_ENTRIES = 8
MAX_FILES = 100_000  # a larger folder is read directly: listing it would cost what the cache saves


def default_path() -> Path:
    from toolkit.sandbox.state import fedkit_home

    return fedkit_home() / CACHE_NAME


def _listing(root: Path) -> list[tuple[str, int, int]] | None:
    """(relative path, size, mtime_ns) of every file under `root`, sorted; None when it cannot be listed whole."""
    found: list[tuple[str, int, int]] = []
    errors: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        dirs.sort()
        for name in files:
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:
                return None
            found.append((os.path.relpath(path, root), stat.st_size, stat.st_mtime_ns))
            if len(found) > MAX_FILES:
                return None
    return None if errors else sorted(found)


def _key(loaded: "LoadedConfig", root: Path, listing: list[tuple[str, int, int]]) -> str:
    from toolkit.code_version import code_fingerprint, library_versions

    config = loaded.config
    parts = {
        "version": VERSION,
        "code": code_fingerprint(),
        "libraries": library_versions(("pyarrow",)),
        "root": str(root.resolve()),
        "gold": config.gold.model_dump(mode="json"),
        "aws": config.aws.model_dump(mode="json") if config.aws else None,
        "config_path": str(Path(loaded.path).resolve()),
        "files": listing,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _catalog_from(data: Any) -> "GoldCatalog | None":
    from toolkit.gold.model import GoldCatalog
    from toolkit.gold.names import catalog_problem

    try:
        catalog = GoldCatalog.from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not catalog.tables or catalog_problem(catalog):
        return None
    return catalog


def read_local_catalog(loaded: "LoadedConfig") -> "GoldCatalog":
    """`read_catalog(loaded, "local")`, answered from the cache when no file under gold.local_dir changed."""
    from toolkit.gold.schema import read_catalog

    local_dir = loaded.config.gold.local_dir
    root = loaded.resolve(local_dir) if local_dir else None
    listing = _listing(root) if root is not None and root.is_dir() else None
    if root is None or not listing:
        return read_catalog(loaded, "local")  # its errors name the missing or empty folder
    key = _key(loaded, root, listing)
    path = default_path()
    from toolkit.fsutil import read_json

    try:
        data = read_json(path)
    except OSError:  # e.g. FEDKIT_HOME is a file, or unreadable: read the footers
        data = {}
    entries = data.get("entries") if data.get("version") == VERSION else None
    entry = entries.get(key) if isinstance(entries, dict) else None
    catalog = _catalog_from(entry.get("catalog")) if isinstance(entry, dict) else None
    if catalog is not None:
        return catalog
    catalog = read_catalog(loaded, "local")
    _store(path, key, catalog)
    return catalog


def _store(path: Path, key: str, catalog: "GoldCatalog") -> None:
    """Best effort: a read-only project folder only costs the next run the footers."""
    from toolkit.fsutil import update_json

    try:
        with update_json(path) as data:
            entries = data.get("entries") if data.get("version") == VERSION else None
            entries = {k: v for k, v in entries.items() if isinstance(v, dict)} if isinstance(entries, dict) else {}
            entries[key] = {"catalog": catalog.to_json(), "stored": time.time()}
            if len(entries) > MAX_ENTRIES:
                def stored(k: str) -> float:
                    value = entries[k].get("stored")
                    return float(value) if isinstance(value, (int, float)) else 0.0

                for old in sorted(entries, key=stored)[: len(entries) - MAX_ENTRIES]:
                    del entries[old]
            data.clear()
            data.update({"version": VERSION, "entries": entries})
    except OSError:
        pass
