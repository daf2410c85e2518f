"""The on-disk cache of compiled WASM modules: hit, miss, corrupt and truncated files (a tiny module stands in)."""

from __future__ import annotations

import json
import os

from toolkit.sql import zetasql_wasm


def _tiny_wasm(tmp_path):
    import wasmtime

    path = tmp_path / "tiny.wasm"
    path.write_bytes(wasmtime.wat2wasm('(module (func (export "answer") (result i32) i32.const 42))'))
    return path


def _replace(path, data: bytes) -> None:
    temp = path.with_name(path.name + ".new")
    temp.write_bytes(data)
    os.replace(temp, path)


def test_cache_dir_is_machine_wide_not_per_project(monkeypatch, tmp_path):
    monkeypatch.delenv("FEDKIT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "project-a"))
    first = zetasql_wasm.cache_dir()
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path / "project-b"))
    assert zetasql_wasm.cache_dir() == first == tmp_path / "xdg" / "fedkit" / "zetasql"
    monkeypatch.setenv("FEDKIT_CACHE_DIR", str(tmp_path / "ci-cache"))
    assert zetasql_wasm.cache_dir() == tmp_path / "ci-cache" / "zetasql"


def test_compile_then_hit_then_recover_from_corruption(tmp_path):
    import wasmtime

    engine = wasmtime.Engine()
    wasm = _tiny_wasm(tmp_path)
    cache = tmp_path / "cache"

    module, how = zetasql_wasm.load_module(engine, wasm, cache)
    assert how == "compiled"
    blobs = list(cache.glob("*.cwasm"))
    assert len(blobs) == 1
    assert json.loads(blobs[0].with_suffix(".json").read_text())["size"] == blobs[0].stat().st_size

    module, how = zetasql_wasm.load_module(engine, wasm, cache)
    assert how == "cache"
    store = wasmtime.Store(engine)
    assert wasmtime.Instance(store, module, []).exports(store)["answer"](store) == 42

    # Same size, garbage content: wasmtime refuses it, we recompile and rewrite. (A loaded module maps its file:
    # corruption is written as a new file, never over a live mapping, just as the cache itself replaces files.)
    del module, store
    _replace(blobs[0], b"\0" * blobs[0].stat().st_size)
    module, how = zetasql_wasm.load_module(engine, wasm, cache)
    assert how == "compiled"
    assert zetasql_wasm.load_module(engine, wasm, cache)[1] == "cache"

    # Truncated (a crash mid-write by some other tool): the recorded size no longer matches.
    data = blobs[0].read_bytes()
    _replace(blobs[0], data[: len(data) // 2])
    assert zetasql_wasm.load_module(engine, wasm, cache)[1] == "compiled"
    assert zetasql_wasm.load_module(engine, wasm, cache)[1] == "cache"


def test_key_changes_with_the_wasm_file(tmp_path):
    wasm = _tiny_wasm(tmp_path)
    first = zetasql_wasm.cache_key(wasm, tmp_path / "cache")
    wasm.write_bytes(wasm.read_bytes() + b"\0asm")  # any change to the bytes
    assert zetasql_wasm.cache_key(wasm, tmp_path / "cache") != first


def test_the_key_is_remembered_until_the_file_changes(tmp_path):
    wasm, cache = _tiny_wasm(tmp_path), tmp_path / "cache"
    first = zetasql_wasm.cache_key(wasm, cache)
    assert first == zetasql_wasm._computed_key(wasm)  # the same key as hashing the file: existing caches stay valid
    memo = json.loads((cache / "digests.json").read_text())
    name = zetasql_wasm._memo_name(wasm)
    assert memo[name]["key"] == first
    # Same identity: the remembered key is used, not the bytes (a planted key shows the file was not hashed again).
    memo[name]["key"] = "planted"
    (cache / "digests.json").write_text(json.dumps(memo))
    assert zetasql_wasm.cache_key(wasm, cache) == "planted"
    # Rewritten with other bytes of the same size: new change times, so hashed again.
    data = bytearray(wasm.read_bytes())
    data[-1] ^= 0xFF
    wasm.write_bytes(bytes(data))
    changed = zetasql_wasm.cache_key(wasm, cache)
    assert changed not in (first, "planted") and changed == zetasql_wasm._computed_key(wasm)


def test_another_cache_format_in_the_same_folder_keeps_its_own_key(tmp_path, monkeypatch):
    """fedkit versions that compile the module differently (debug checks guarded or not) share the machine-wide
    folder: each remembers its own key for the same wasm file instead of overwriting the other's."""
    wasm, cache = _tiny_wasm(tmp_path), tmp_path / "cache"
    current = zetasql_wasm.cache_key(wasm, cache)
    monkeypatch.setattr(zetasql_wasm, "_CACHE_FORMAT", zetasql_wasm._CACHE_FORMAT - 1)
    older = zetasql_wasm.cache_key(wasm, cache)
    assert older != current
    monkeypatch.undo()
    assert zetasql_wasm.cache_key(wasm, cache) == current
    assert len(json.loads((cache / "digests.json").read_text())) == 2


def test_an_unreadable_digest_memo_is_only_a_miss(tmp_path):
    wasm, cache = _tiny_wasm(tmp_path), tmp_path / "cache"
    cache.mkdir()
    (cache / "digests.json").write_text("{not json")
    assert zetasql_wasm.cache_key(wasm, cache) == zetasql_wasm.cache_key(wasm, tmp_path / "other")


def test_unwritable_cache_still_loads(tmp_path):
    import wasmtime

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    module, how = zetasql_wasm.load_module(wasmtime.Engine(), _tiny_wasm(tmp_path), blocker / "cache")
    assert how == "compiled" and module is not None


def test_compile_needed_says_whether_and_roughly_how_long(tmp_path):
    """Issue 14.5: parity announces the one-time compile with an estimate: the slowest compile timed here."""
    cache = tmp_path / "cache"
    wasm = _tiny_wasm(tmp_path)
    assert zetasql_wasm.compile_needed(cache, wasm) == zetasql_wasm.DEFAULT_COMPILE_SECONDS  # never compiled here
    zetasql_wasm.load_module(zetasql_wasm._engine(), wasm, cache)
    assert zetasql_wasm.compile_needed(cache, wasm) is None  # cached: nothing to announce
    meta = next(cache.glob("zetasql-*.json"))
    record = json.loads(meta.read_text())
    assert "compile_seconds" in record
    meta.write_text(json.dumps({**record, "compile_seconds": 42.0}))
    other = tmp_path / "other.wasm"
    import wasmtime

    other.write_bytes(wasmtime.wat2wasm('(module (func (export "answer") (result i32) i32.const 7))'))
    assert zetasql_wasm.compile_needed(cache, other) == 42.0


def test_a_running_call_is_stopped_by_an_epoch_interrupt(tmp_path):
    """The engine settings FastWasmClient uses let another thread stop a call (parity's --timeout): an endless loop
    traps after `increment_epoch` instead of running until the process exits."""
    import threading

    import wasmtime

    engine = zetasql_wasm._engine()
    module = wasmtime.Module(engine, wasmtime.wat2wasm('(module (func (export "spin") (loop (br 0))))'))
    store = wasmtime.Store(engine)
    store.set_epoch_deadline(1)
    spin = wasmtime.Instance(store, module, []).exports(store)["spin"]
    timer = threading.Timer(0.2, engine.increment_epoch)
    timer.start()
    try:
        spin(store)
    except wasmtime.Trap as trap:
        assert "interrupt" in str(trap).lower()
    else:  # pragma: no cover - the loop never returns by itself
        raise AssertionError("the loop was not interrupted")
    finally:
        timer.cancel()
