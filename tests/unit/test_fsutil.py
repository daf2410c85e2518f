"""Files under .fedkit/ written by several processes at once: atomic replacement, read-modify-write under a lock."""

from __future__ import annotations

import json
import multiprocessing
import threading
from pathlib import Path

from toolkit.fsutil import atomic_write, file_lock, new_file_mode, read_json, update_json


def _add_records(path: str, worker: int, count: int) -> None:
    for i in range(count):
        with update_json(Path(path)) as data:
            data[f"{worker}-{i}"] = worker


def test_processes_adding_records_at_once_lose_none(tmp_path: Path) -> None:
    path = tmp_path / "registry.json"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_add_records, args=(str(path), w, 15)) for w in range(6)]
    for proc in workers:
        proc.start()
    for proc in workers:
        proc.join(60)
    assert [proc.exitcode for proc in workers] == [0] * 6
    assert len(read_json(path)) == 6 * 15
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registry.json", "registry.json.lock"]  # no temp left


def test_threads_writing_one_file_never_show_half_a_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    atomic_write(path, json.dumps({"n": -1, "pad": "x" * 200_000}))
    seen: list[object] = []
    stop = threading.Event()

    def write(n: int) -> None:
        for _ in range(20):
            atomic_write(path, json.dumps({"n": n, "pad": "x" * 200_000}))

    def read() -> None:
        while not stop.is_set():
            seen.append(json.loads(path.read_text())["n"])  # a torn file would not parse

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    reader.join()
    assert seen and set(seen) <= {-1, 0, 1, 2, 3}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_atomic_write_sets_the_mode_before_the_file_appears(tmp_path: Path) -> None:
    path = atomic_write(tmp_path / "connections.toml", "secret = 1\n", mode=0o600)
    assert path.stat().st_mode & 0o777 == 0o600


def test_an_update_that_raises_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    atomic_write(path, '{"a": 1}')
    try:
        with update_json(path) as data:
            data["b"] = 2
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert read_json(path) == {"a": 1}
    with file_lock(path):  # the lock was released
        pass


def test_new_file_mode_follows_the_umask(tmp_path: Path) -> None:
    import os
    import stat

    previous = os.umask(0o027)
    try:
        mode = new_file_mode()
        atomic_write(tmp_path / "page.html", "x", mode=mode)
    finally:
        os.umask(previous)
    assert mode == 0o640 and stat.S_IMODE((tmp_path / "page.html").stat().st_mode) == 0o640
