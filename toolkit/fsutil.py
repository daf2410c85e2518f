"""Files more than one fedkit process may write at once: atomic replacement and read-modify-write under a lock.

- `atomic_write` writes a temp file with a unique name in the target's folder, fsyncs it and `os.replace`s it over
  the target: a reader sees the old file or the new one, never half of one, and two writers never share a temp
  file (a fixed `name.tmp` lets one writer rename the other's half-written file into place).
- `file_lock` is an exclusive `flock` on a side file `<name>.lock`. The kernel drops it when the holder's file
  descriptor closes, so a killed process never leaves it held. The side file is never deleted: unlinking a lock
  file lets a third process lock a new inode while the second still holds the old one.
- `update_json` = lock, read, change, write atomically: concurrent updates are serialised, none is lost.

flock is advisory and local to this machine (on NFS it may not exclude other hosts), which is where `.fedkit/` lives.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator


def atomic_write(path: Path, data: str | bytes, mode: int | None = None) -> Path:
    """Replace `path` with `data` in one step (unique temp file in the same folder + fsync + os.replace).

    `mode`: permissions of the new file (e.g. 0o600 for a file holding connection settings), set before it is
    visible under its name.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path


def new_file_mode() -> int:
    """The permissions `open()` would give a new file under this process's umask (0o644 under the usual 022).

    `atomic_write` without a mode leaves mkstemp's private 0600, right for `.fedkit/` state; a file the user asked for
    and means to share (a report page) takes this instead. The umask is read from /proc where there is one: setting it
    to read it back would briefly change it for every thread of the process.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def lock_path(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + ".lock")


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for `path` (on `<path>.lock`) for the block; waits for the current holder."""
    import fcntl

    side = lock_path(path)
    side.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(side, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_json(path: Path, data: Any) -> Path:
    """Pretty, stable JSON written atomically, with every secret known to this process scrubbed (these files live
    under `.fedkit/`, which must never hold one)."""
    from toolkit.redact import scrub

    return atomic_write(path, scrub(json.dumps(data, indent=2, sort_keys=True)) + "\n")


def read_json(path: Path, default: Callable[[], Any] = dict) -> Any:
    """The JSON in `path`, or `default()` when the file is missing, not JSON, or JSON of another type than the
    default (a cache or a registry fedkit rebuilds)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError):
        return default()
    empty = default()
    return data if isinstance(data, type(empty)) else empty


@contextlib.contextmanager
def update_json(path: Path, default: Callable[[], Any] = dict) -> Iterator[Any]:
    """`with update_json(p) as data: data[...] = ...` - read, change and write back under the file's lock.

    The file is written only when the block ends without an exception and changed the data.
    """
    with file_lock(path):
        data = read_json(path, default)
        before = json.dumps(data, sort_keys=True, default=str)
        yield data
        if json.dumps(data, sort_keys=True, default=str) != before:
            write_json(path, data)
