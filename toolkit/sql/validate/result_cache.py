"""Per-file results of `fedkit validate`, cached under `.fedkit/validate-cache.json`, so an unchanged KPI file is not
parsed, compiled and resolved again on every engine (the ZetaSQL module, fakesnow and DuckDB are then not even
imported: a CI run over an unchanged suite costs the interpreter, the config and the gold catalog).

Validating a file is a pure function of: the file's bytes and path, the config, the gold catalog (names, types and
locations of every column), the engines asked for, the working directory (paths shown), fedkit's own code and the
versions of the libraries that do the work (sqlglot, DuckDB, fakesnow, ZetaSQL, wasmtime, Jinja2). The key hashes
all of them, so a changed schema, KPI, config, rule or library is a miss and is validated again: the cache never
answers for other inputs. Online checks (`--online`) are never cached (they ask the clouds).

The file is JSON only (never pickle), read with every field checked: an entry of another shape, a corrupt or
missing file is a miss, never an error or a wrong answer. Writes go through `toolkit.fsutil.update_json` (atomic,
under the file's lock), and the oldest entries are dropped beyond `MAX_ENTRIES`, so the file stays small.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from toolkit.sql.validate.model import ERROR, OK, Result

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig
    from toolkit.gold.model import GoldCatalog

CACHE_NAME = "validate-cache.json"
VERSION = 1
MAX_ENTRIES = 2000
# distributions whose behaviour decides a result (compiler, resolvers, template rendering)
LIBRARIES = ("sqlglot", "duckdb", "fakesnow", "zetasql", "wasmtime", "snowflake-connector-python", "jinja2")
# environment that changes nothing in a result: where state and caches live
_NEUTRAL_ENV = {"FEDKIT_HOME", "FEDKIT_CACHE_DIR"}


def default_path() -> Path:
    from toolkit.sandbox.state import fedkit_home

    return fedkit_home() / CACHE_NAME


def enabled() -> bool:
    """`FEDKIT_VALIDATE_CACHE=0` turns the cache off (e.g. to time a cold validation)."""
    return os.environ.get("FEDKIT_VALIDATE_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def code_fingerprint() -> str:
    from toolkit.code_version import code_fingerprint as fingerprint

    return fingerprint()


def library_versions() -> dict[str, str]:
    from toolkit.code_version import library_versions as versions

    return versions(LIBRARIES)


def context_key(loaded: "LoadedConfig", catalog: "GoldCatalog", engines: tuple[str, ...]) -> str:
    """Everything a file's results depend on besides the file itself, as one hash."""
    try:
        config_bytes = Path(loaded.path).read_bytes().hex()
    except OSError:
        config_bytes = ""
    parts = {
        "version": VERSION,
        "code": code_fingerprint(),
        "libraries": library_versions(),
        "config_path": str(Path(loaded.path).resolve()),
        "config_file": config_bytes,
        "config": loaded.config.model_dump(mode="json"),
        "connection": loaded.snowflake_connection,
        "catalog": catalog.to_json(),
        "engines": list(engines),
        "cwd": os.getcwd(),
        "env": {k: v for k, v in sorted(os.environ.items()) if k.startswith("FEDKIT_") and k not in _NEUTRAL_ENV},
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def file_key(context: str, path: Path) -> str | None:
    """The key of one KPI file under `context`; None when it cannot be read (validated, not cached)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(context.encode())
    digest.update(b"\0" + str(Path(path).resolve()).encode() + b"\0")
    digest.update(data)
    return digest.hexdigest()


def _result_json(result: Result) -> dict[str, Any]:
    return {"engine": result.engine, "status": result.status, "line": result.line, "column": result.column,
            "message": result.message, "excerpt": result.excerpt, "notes": list(result.notes)}


def _optional_int(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def _result_from(data: Any, file: str) -> Result | None:
    """A Result from a cached entry, or None when any field has another shape than `_result_json` writes."""
    if not isinstance(data, dict):
        return None
    engine, status, message, excerpt = (data.get(k) for k in ("engine", "status", "message", "excerpt"))
    notes = data.get("notes")
    if not (isinstance(engine, str) and status in (OK, ERROR) and isinstance(message, str)
            and isinstance(excerpt, str) and _optional_int(data.get("line")) and _optional_int(data.get("column"))
            and isinstance(notes, list) and all(isinstance(n, str) for n in notes)):
        return None
    return Result(file, engine, status, data.get("line"), data.get("column"), message, excerpt, 0.0, tuple(notes))


class ResultCache:
    """Read once when created; `save()` merges this run's new results into the file."""

    def __init__(self, context: str, engines: tuple[str, ...], path: Path | None = None):
        from toolkit.fsutil import read_json

        self.context = context
        self.engines = engines
        self.path = Path(path) if path is not None else default_path()
        try:
            data = read_json(self.path)
        except OSError:  # e.g. FEDKIT_HOME is a file, or unreadable: run without the cache
            data = {}
        entries = data.get("entries") if data.get("version") == VERSION else None
        self._entries: dict[str, Any] = entries if isinstance(entries, dict) else {}
        self._new: dict[str, dict[str, Any]] = {}
        self._used: set[str] = set()

    def get(self, path: Path, file: str) -> list[Result] | None:
        """The cached results of `path` (shown as `file`), one per engine in the order asked, or None (a miss)."""
        key = file_key(self.context, path)
        entry = self._entries.get(key) if key is not None else None
        if not isinstance(entry, dict) or not isinstance(entry.get("results"), list):
            return None
        results = [_result_from(item, file) for item in entry["results"]]
        if any(r is None for r in results) or tuple(r.engine for r in results) != self.engines:  # type: ignore[union-attr]
            return None
        self._used.add(key)  # type: ignore[arg-type]
        return results  # type: ignore[return-value]

    def put(self, path: Path, results: Iterable[Result]) -> None:
        results = list(results)
        key = file_key(self.context, path)
        if key is None or tuple(r.engine for r in results) != self.engines:
            return  # extra (online) results or an unreadable file: not a cacheable answer
        self._new[key] = {"results": [_result_json(r) for r in results], "used": time.time()}

    def save(self) -> None:
        """Best effort: a read-only project folder only costs the next run the validation."""
        from toolkit.fsutil import update_json

        now = time.time()
        if not self._new and all(now - _number(self._entries[k].get("used")) < 3600 for k in self._used):
            return
        try:
            with update_json(self.path) as data:
                entries = data.get("entries") if data.get("version") == VERSION else None
                entries = entries if isinstance(entries, dict) else {}
                for key in self._used:  # refreshed at most hourly, so a warm run does not rewrite the file
                    if isinstance(entries.get(key), dict) and not now - _number(entries[key].get("used")) < 3600:
                        entries[key]["used"] = now
                entries.update(self._new)
                if len(entries) > MAX_ENTRIES:
                    def used(key: str) -> float:
                        return _number(entries[key].get("used")) if isinstance(entries[key], dict) else 0.0

                    for key in sorted(entries, key=used)[: len(entries) - MAX_ENTRIES]:
                        del entries[key]
                data.clear()
                data.update({"version": VERSION, "entries": entries})
        except OSError:
            pass


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0
