"""What version of fedkit and of its libraries is running, as hashes for cache keys.

A cache of derived results (validation results, the gold catalog) must not answer for other code: an edited rule
or a new sqlglot changes what a file compiles to. Hashing the sources (about 1 MB) takes a few milliseconds, much
less than any result it protects, and also catches an edited checkout whose version number did not move.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

_TOOLKIT = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over fedkit's own sources (every `*.py` and template under the package), once per process."""
    return tree_fingerprint(_TOOLKIT)


def tree_fingerprint(root: Path) -> str:
    """sha256 over the relative paths and bytes of every `*.py` and `*.j2` file under `root`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".j2") and p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def library_versions(names: tuple[str, ...]) -> dict[str, str]:
    """{distribution: installed version, or "-" when absent}. Read from the `NAME-VERSION.dist-info` folder names
    on sys.path (one listing per folder: `importlib.metadata.version` searches the whole path for each name, ~7 ms
    apiece); a name not found that way is asked of importlib.metadata."""
    from importlib.metadata import PackageNotFoundError, version

    wanted = {_normalise(name): name for name in names}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            if entry.endswith(".dist-info") and entry.count("-") == 1:
                name, _, rest = entry[: -len(".dist-info")].partition("-")
                original = wanted.get(_normalise(name))
                if original is not None and original not in found:
                    found[original] = rest
    for name in names:
        if name not in found:
            try:
                found[name] = version(name)
            except PackageNotFoundError:
                found[name] = "-"
    return {name: found[name] for name in names}


def _normalise(name: str) -> str:
    """PEP 503: `snowflake-connector-python` and `snowflake_connector_python` are one name."""
    return re.sub(r"[-_.]+", "-", name).lower()
