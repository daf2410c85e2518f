"""Load ZetaSQL's WASM module fast: the compiled module is cached on disk, memory copies are bulk.

The `zetasql` package compiles its 28 MB `zetasql.wasm` with wasmtime on every process start (`Module.from_file`
in `zetasql/core/wasm_client.py`): about 1 s on a fast machine, 17 s measured on this 2-core box. wasmtime can
serialize a compiled module; loading that back (`Module.deserialize_file`, an mmap) takes about 1 ms, so the first
run pays the compile and writes the cache, later runs instantiate in ~0.1 s.

Cache: `$FEDKIT_CACHE_DIR/zetasql`, else `$XDG_CACHE_HOME/fedkit/zetasql` or `~/.cache/fedkit/zetasql` (machine-wide,
not project state: every project and test session on the machine shares one compile), one file per (wasm sha256, wasmtime version,
engine settings). The file is written atomically (temp file + rename) with a sidecar recording its size; a
missing, truncated or unloadable cache is recompiled and rewritten, never fatal. wasmtime itself refuses a
serialized module made by another wasmtime version or engine configuration.

The module is compiled with its debug-build assertions behind a switch that is off (`toolkit.sql.zetasql_debug_checks`:
the package ships a fastbuild without NDEBUG, whose hash-table self-checks cost more than half of each analysis);
`FastWasmClient.set_debug_checks(True)` turns them back on, which the differential test uses.

The package's `WasmClient` also copies requests and responses into WASM memory one byte at a time from Python;
`FastWasmClient` copies with `ctypes.memmove`/`ctypes.string_at`, which matters for catalogs and table content.

Importing anything under `zetasql.core` runs its `__init__`, which imports the package's dataclass model of every
ZetaSQL proto (`zetasql.types.proto_model`, about 1 s on this machine, more than the rest of a validation's imports
together) although fedkit talks raw protobufs: `shared_client()` and `server_error_class()` need none of it, and
`install_local_service()` (the package's own API on this client) is the only place that imports it.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

_CACHE_FORMAT = 2  # 2: debug checks guarded (a different compiled module for the same wasm file)
_LOCK = threading.Lock()
_SHARED: "FastWasmClient | None" = None


def cache_dir() -> Path:
    """Where compiled modules are cached: `$FEDKIT_CACHE_DIR/zetasql`, else the user's cache folder."""
    explicit = os.environ.get("FEDKIT_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser() / "zetasql"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "fedkit" / "zetasql"


def _engine() -> Any:
    from wasmtime import Config, Engine

    config = Config()
    try:
        config.shared_memory = True  # same engine settings as the zetasql package (the module imports shared memory)
    except AttributeError:
        pass
    # Epoch interruption: a call running past parity's time budget is stopped with a trap (`FastWasmClient.interrupt`)
    # instead of burning a core until the process exits. Compiled code checks the epoch at loop heads and calls, so
    # it is part of the cache key. docs.wasmtime.dev/api/wasmtime/struct.Config.html#method.epoch_interruption
    config.epoch_interruption = True
    return Engine(config)


def _wasmtime_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wasmtime")
    except PackageNotFoundError:  # pragma: no cover - wasmtime always has metadata when installed by pip
        return "unknown"


def cache_key(wasm_path: Path, folder: Path | None = None) -> str:
    """sha256 of the wasm file + wasmtime version + platform: any change recompiles. Hashing the 28 MB file and
    reading wasmtime's version from its metadata cost every process 50-90 ms, so the key is remembered in `folder`
    (the cache folder, `digests.json`) next to the identity of both files (size, inode, modification and change
    times in nanoseconds: a reinstalled or rewritten file has new ones)."""
    import wasmtime

    folder = folder if folder is not None else cache_dir()
    identity = [*_identity(wasm_path), *_identity(Path(wasmtime.__file__)), sys.platform, os.uname().machine]
    memo = folder / "digests.json"
    name = _memo_name(wasm_path)
    known: Any = {}
    try:
        known = json.loads(memo.read_text(encoding="utf-8"))
        entry = known.get(name) if isinstance(known, dict) else None
        if isinstance(entry, dict) and entry.get("identity") == identity and isinstance(entry.get("key"), str):
            return entry["key"]
    except (OSError, ValueError):
        known = {}
    key = _computed_key(wasm_path)
    kept = {k: v for k, v in (known if isinstance(known, dict) else {}).items() if k != name}
    kept = dict(list(kept.items())[-7:])  # a few wasm files (package upgrades), never a growing file
    kept[name] = {"identity": identity, "key": key}
    try:
        from toolkit.fsutil import atomic_write

        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(memo, json.dumps(kept).encode())
    except OSError:
        pass  # best effort: the next process hashes again
    return key


def _memo_name(wasm_path: Path) -> str:
    """The memo entry of a wasm file for this cache format: fedkit versions that compile the module differently share
    the machine-wide memo without overwriting each other's keys."""
    return f"{Path(wasm_path).resolve()}#{_CACHE_FORMAT}"


def _identity(path: Path) -> list[int]:
    found = os.stat(path)
    return [found.st_size, found.st_ino, found.st_mtime_ns, found.st_ctime_ns]


def _computed_key(wasm_path: Path) -> str:
    from toolkit.sql.zetasql_debug_checks import guarded_functions

    digest = hashlib.sha256()
    with open(wasm_path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 22), b""):
            digest.update(chunk)
    guarded = len(guarded_functions(digest.copy().hexdigest()))
    extra = (f"{_CACHE_FORMAT}|{_wasmtime_version()}|{sys.platform}|{os.uname().machine}|shared_memory|epoch"
             f"|debug_checks_guarded={guarded}")
    digest.update(extra.encode())
    return digest.hexdigest()[:32]


DEFAULT_COMPILE_SECONDS = 20.0  # when no compile was ever timed here: 17 s measured on a 2-core box


def compile_needed(cache: Path | None = None, wasm_path: Path | None = None) -> float | None:
    """None when the compiled module is cached; else roughly how many seconds the compile will take (the slowest
    compile timed in this cache folder, whatever module it was for, else `DEFAULT_COMPILE_SECONDS`)."""
    if wasm_path is None:
        from zetasql.wasi import get_wasm_path

        wasm_path = Path(get_wasm_path())
    folder = cache if cache is not None else cache_dir()
    try:
        key = cache_key(wasm_path, folder)
    except OSError:
        return DEFAULT_COMPILE_SECONDS
    if (folder / f"zetasql-{key}.cwasm").is_file() and (folder / f"zetasql-{key}.json").is_file():
        return None
    timed = []
    for meta in folder.glob("zetasql-*.json") if folder.is_dir() else ():
        try:
            timed.append(float(json.loads(meta.read_text(encoding="utf-8"))["compile_seconds"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return max(timed) if timed else DEFAULT_COMPILE_SECONDS


def load_module(engine: Any, wasm_path: Path, cache: Path | None = None) -> tuple[Any, str]:
    """(compiled Module, how: "cache" | "compiled") — from the on-disk cache when valid, else compiled and cached."""
    from wasmtime import Module, WasmtimeError

    folder = cache if cache is not None else cache_dir()
    try:
        key = cache_key(wasm_path, folder)
    except OSError:
        return _compile(engine, wasm_path), "compiled"
    blob = folder / f"zetasql-{key}.cwasm"
    meta = folder / f"zetasql-{key}.json"
    if blob.is_file() and meta.is_file():
        try:
            recorded = json.loads(meta.read_text(encoding="utf-8"))
            if recorded.get("size") == blob.stat().st_size:
                return Module.deserialize_file(engine, str(blob)), "cache"
        except (OSError, ValueError, WasmtimeError):
            pass  # corrupt or foreign cache: recompile below and overwrite it
    started = time.perf_counter()
    module = _compile(engine, wasm_path)
    _write_cache(module, blob, meta, time.perf_counter() - started)
    return module, "compiled"


def _compile(engine: Any, wasm_path: Path) -> Any:
    from wasmtime import Module

    from toolkit.sql.zetasql_debug_checks import guard

    return Module(engine, guard(Path(wasm_path).read_bytes()))


def _write_cache(module: Any, blob: Path, meta: Path, seconds: float = 0.0) -> None:
    """Best effort: a read-only home or a full disk only costs the next run a compile."""
    from toolkit.fsutil import atomic_write

    try:
        blob.parent.mkdir(parents=True, exist_ok=True)
        data = module.serialize()
        record = {"size": len(data), "compile_seconds": round(seconds, 1)}
        for target, payload in ((blob, bytes(data)), (meta, json.dumps(record).encode())):
            atomic_write(target, payload)
    except OSError:
        pass


class FastWasmClient:
    """Drop-in for `zetasql.core.wasm_client.WasmClient`: cached module, bulk memory copies."""

    def __init__(self, wasm_path: Path, cache: Path | None = None):
        from wasmtime import Linker, Store, WasiConfig

        wasi = WasiConfig()
        wasi.inherit_stdout()
        wasi.inherit_stderr()
        tzinfo = _tzinfo_dir()
        if tzinfo:
            wasi.preopen_dir(tzinfo, "/usr/share/zoneinfo")
        engine = _engine()
        self.engine = engine
        self.store = Store(engine)
        self.store.set_epoch_deadline(1)  # the epoch only moves in `interrupt()`: the next tick traps
        self.store.set_wasi(wasi)
        self.module, self.loaded_from = load_module(engine, wasm_path, cache)
        linker = Linker(engine)
        linker.define_wasi()
        self.instance = linker.instantiate(self.store, self.module)
        self.exports = self.instance.exports(self.store)
        init = self.exports.get("_initialize") if hasattr(self.exports, "get") else None
        if init is None:
            try:
                init = self.exports["_initialize"]
            except KeyError:
                init = None
        if init is not None:
            init(self.store)
        self.memory = self.exports["memory"]

    def set_debug_checks(self, on: bool) -> bool:
        """Run (True) or skip (False, the default) the module's debug-build assertions; False when this module has
        no such switch (a zetasql.wasm `toolkit.sql.zetasql_debug_checks` does not know: its checks always run)."""
        from wasmtime import Val

        from toolkit.sql.zetasql_debug_checks import GLOBAL_NAME

        switch = self.exports.get(GLOBAL_NAME) if hasattr(self.exports, "get") else None
        if switch is None:
            return False
        switch.set_value(self.store, Val.i32(1 if on else 0))
        return True

    def interrupt(self) -> None:
        """Make the running call (on any thread) trap at its next epoch check; this client is unusable afterwards."""
        self.engine.increment_epoch()

    # -- memory ------------------------------------------------------------------------------------------------
    def _base(self) -> int:
        try:
            pointer = self.memory.data_ptr()  # SharedMemory (the zetasql module imports shared memory)
        except TypeError:
            pointer = self.memory.data_ptr(self.store)
        return ctypes.addressof(pointer.contents)

    def allocate_bytes(self, size: int) -> int:
        return self.exports["wasm_malloc"](self.store, size)

    def free_bytes(self, ptr: int) -> None:
        self.exports["wasm_free"](self.store, ptr)

    def write_bytes(self, ptr: int, data: bytes) -> None:
        if data:
            ctypes.memmove(self._base() + ptr, data, len(data))

    def read_bytes(self, ptr: int, size: int) -> bytes:
        return ctypes.string_at(self._base() + ptr, size) if size else b""

    def get_last_error(self) -> str:
        size = self.exports["wasm_get_last_error_size"](self.store)
        if size == 0:
            return ""
        return self.read_bytes(self.exports["wasm_get_last_error"](self.store), size).decode("utf-8", "replace")

    # -- calls -------------------------------------------------------------------------------------------------
    def call_raw(self, method_name: str, request_data: bytes) -> bytes:
        """Call an exported `ZetaSqlLocalService_*` function with a serialized request; ServerError on failure."""
        server_error = server_error_class()

        method = self.exports[method_name]
        request_ptr = self.allocate_bytes(max(len(request_data), 1))
        size_ptr = self.allocate_bytes(4)
        try:
            self.write_bytes(request_ptr, request_data)
            response_ptr = method(self.store, request_ptr, len(request_data), size_ptr)
            if response_ptr == 0:
                raw = self.get_last_error()
                match = re.match(r"Code: (\d+), Message: (.*)", raw, re.DOTALL)  # the package's regex drops lines 2+
                if match is None:
                    raise server_error.from_error_string(raw)
                raise server_error(int(match.group(1)), match.group(2), raw)
            size = int.from_bytes(self.read_bytes(size_ptr, 4), "little")
            data = self.read_bytes(response_ptr, size)
            self.free_bytes(response_ptr)
            return data
        finally:
            self.free_bytes(request_ptr)
            self.free_bytes(size_ptr)

    def call_grpc_func(self, func_name: str, request: Any, response_type: Any = None) -> Any:
        """Same contract as the package's WasmClient, so its `ZetaSqlLocalService` runs on this client."""
        if response_type is None:
            from google.protobuf import empty_pb2

            response_type = empty_pb2.Empty
        return response_type.FromString(self.call_raw(func_name, request.SerializeToString()))


def _tzinfo_dir() -> str | None:
    """The tzdata package's zoneinfo folder, mounted for the module's time zones (as `zetasql.core.wasm_client`
    does in `get_tzinfo_dir`, which cannot be imported without `zetasql.core`)."""
    try:
        import tzdata
    except ImportError:
        return None
    folder = os.path.join(os.path.dirname(tzdata.__file__), "zoneinfo")
    return folder if os.path.isdir(folder) else None


def server_error_class() -> Any:
    """`zetasql.core.exceptions.ServerError`, the package's error class (callers and tests catch it), loaded by
    itself: that module imports only `re` and `enum`, and is registered under its own name, so a later import of
    `zetasql.core` finds and reuses it (one class, whichever import came first)."""
    name = "zetasql.core.exceptions"
    module = sys.modules.get(name)
    if module is None:
        import importlib.util

        import zetasql

        with _LOCK:
            module = sys.modules.get(name)
            if module is None:
                spec = importlib.util.spec_from_file_location(name, Path(zetasql.__file__).parent / "core" /
                                                              "exceptions.py")
                assert spec is not None and spec.loader is not None
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                try:
                    spec.loader.exec_module(module)
                except BaseException:
                    del sys.modules[name]
                    raise
    return module.ServerError


def shared_client(cache: Path | None = None) -> FastWasmClient:
    """The process-wide client (one WASM store: the ZetaSQL service and the package's API share it)."""
    global _SHARED
    if _SHARED is None:
        with _LOCK:
            if _SHARED is None:
                from zetasql.wasi import get_wasm_path

                _SHARED = FastWasmClient(Path(get_wasm_path()), cache)
    return _SHARED


def drop_shared_client(client: "FastWasmClient") -> None:
    """Forget `client` as the process-wide one (after an interrupt its store is trapped); the next `shared_client()`
    builds a fresh one from the compile cache, and the package's service (if loaded) is dropped with it."""
    global _SHARED
    with _LOCK:
        if _SHARED is client:
            _SHARED = None
        local_service = sys.modules.get("zetasql.core.local_service")
        if local_service is not None:
            local_service.ZetaSqlLocalService._instance = None


def install_local_service(cache: Path | None = None) -> Any:
    """Make `ZetaSqlLocalService.get_instance()` (used by the zetasql API) run on the shared client; returns it.
    Imports the package's proto model (about 1 s): only for callers of the package's own API."""
    from zetasql.core.local_service import ZetaSqlLocalService

    existing = getattr(ZetaSqlLocalService, "_instance", None)
    if existing is not None and isinstance(existing.wasm_client, FastWasmClient):
        return existing
    service = ZetaSqlLocalService.__new__(ZetaSqlLocalService)
    service.wasm_client = shared_client(cache)
    ZetaSqlLocalService._instance = service
    return service
