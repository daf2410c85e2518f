"""Switch off the debug-build assertions compiled into the `zetasql` package's WASM module (on by default: off).

The package's `zetasql.wasm` is a Bazel fastbuild: no optimisation and no `NDEBUG`, so assertions that every release
build of ZetaSQL compiles out run on each hash-table lookup. Measured with `perf` over the KPI suite's BigQuery SQL
(function names recovered from the strings each function references, the module has no name section):

- abseil's `raw_hash_set::AssertHashEqConsistent` (its `assert_consistent` lambda, one per table type) re-hashes
  every element of a small table on each find/insert to check hash/eq idempotency: ~40 % of an analysis;
- ZetaSQL's `IdString` liveness check (`IdString was accessed after its IdStringPool (…) was destructed`) takes a
  global mutex and a hash lookup on every identifier access: most of the rest of the debug overhead.

Neither changes a result: each only aborts the process when ZetaSQL itself is broken. `guard(wasm)` returns the
module with one mutable global added and exported (`fedkit_debug_checks`, 0 = off) and, at the start of each of those
functions (all return nothing), `if (!fedkit_debug_checks) return;`. Function indices, types and every other byte stay
as they are; with the global set to 1 the module behaves exactly as shipped, which is how the differential test
(`tests/integration/zetasql/test_debug_checks_differential.py`) proves that every analysis gives the same outcome
and message either way.

Which functions: `GUARDED[sha256 of zetasql.wasm]`, the result of `discover()` on that exact file (a test re-derives
it). An unknown file (another package version) is loaded unchanged: correct, only slower. To add a version, run
`python -m toolkit.sql.zetasql_debug_checks` and paste its output into `GUARDED`.
WASM binary format: https://webassembly.github.io/spec/core/binary/modules.html
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass

GLOBAL_NAME = "fedkit_debug_checks"

# Strings an assertion-only function may reference, per kind; a function is one only if every string it references is
# in its kind's set and it references the kind's `marker` (an inlined copy inside a larger function references more).
_KINDS = {
    "hash/eq consistency (abseil raw_hash_set, debug only)": (
        'hash_of_arg == once_more_hash_arg && "hash is not idempotent."',
        {
            'hash_of_arg == once_more_hash_arg && "hash is not idempotent."',
            'hash_of_slot == once_more_hash_slot && "hash is not idempotent."',
            'is_key_equal == once_more_eq && "equality is not idempotent."',
            "external/abseil-cpp~/absl/container/internal/raw_hash_set.h",
            "operator()",
        },
        ('(!is_key_equal || is_hash_equal) && "eq(k1, k2) must imply that hash(k1) == hash(k2). ',),
    ),
    "IdString liveness (ZetaSQL id_string, debug only)": (
        "IdString was accessed after its IdStringPool (",
        {"IdString was accessed after its IdStringPool (", ") was destructed", "live_pool_ids_ != nullptr",
         "zetasql/public/id_string.cc"},
        (),
    ),
}

# sha256 of zetasql.wasm -> indices of the functions to guard (`discover()` on that file). zetasql 0.1.5:
GUARDED: dict[str, tuple[int, ...]] = {
    "00135b44fe391fa8d56f6804dca013bc681e45d607561a638b81c98a08744bcb": (
        731, 1095, 1129, 1154, 1498, 2213, 2242, 3478, 3502, 3508, 3608, 3749, 3809, 3846, 3882, 4128, 4137,
        4184, 4205, 4235, 4258, 4729, 5347, 5479, 6893, 7579, 7594, 7716, 7724, 8480, 8574, 8601, 8839, 9072,
        9080, 9315, 11139, 13019, 14008, 14090, 14197, 14533, 14625, 15489, 15825, 15849, 15857, 16305, 16594,
        16745, 17305, 17332, 17507, 17523, 17851, 18249, 18253, 18255, 18620, 19101, 19130, 19167, 19320, 20207,
        20218, 20232, 23657, 24248, 24361, 31315, 32126, 32132, 32140, 33753, 35936, 46977, 46983, 47727, 47738,
        47740, 47760, 47769, 47775, 47780, 47838, 47857, 47860, 47885, 47894, 47905, 47986, 47988, 47991, 49145,
        49150, 49526,
    ),
}


def digest(wasm: bytes) -> str:
    return hashlib.sha256(wasm).hexdigest()


def guarded_functions(wasm_digest: str) -> tuple[int, ...]:
    """The functions `guard` wraps in a file with this sha256 (empty: the file is loaded unchanged)."""
    return GUARDED.get(wasm_digest, ())


def guard(wasm: bytes) -> bytes:
    """`wasm` with its known debug-only functions behind the `fedkit_debug_checks` global (off); unchanged when the
    file is not one `GUARDED` knows, or when a listed function does not have the shape it was found with."""
    functions = guarded_functions(digest(wasm))
    if not functions:
        return wasm
    try:
        return add_guards(wasm, functions)
    except ValueError:
        return wasm


# -- the binary format -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Section:
    id: int
    start: int  # first byte of the content
    size: int


def _uleb(data: bytes, at: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, at


def _sleb(data: bytes, at: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return (result - (1 << shift) if byte & 0x40 else result), at


def _enc_uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _enc_sleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        if (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def _sections(wasm: bytes) -> list[_Section]:
    if wasm[:4] != b"\0asm":
        raise ValueError("not a WASM module")
    found, at = [], 8
    while at < len(wasm):
        section_id = wasm[at]
        size, start = _uleb(wasm, at + 1)
        found.append(_Section(section_id, start, size))
        at = start + size
    return found


def _one(sections: list[_Section], section_id: int) -> _Section | None:
    matching = [s for s in sections if s.id == section_id]
    return matching[0] if matching else None


def _imports(wasm: bytes, sections: list[_Section]) -> tuple[int, int]:
    """(imported functions, imported globals)."""
    section = _one(sections, 2)
    if section is None:
        return 0, 0
    count, at = _uleb(wasm, section.start)
    functions = globals_ = 0
    for _ in range(count):
        for _name in range(2):  # module, field
            length, at = _uleb(wasm, at)
            at += length
        kind = wasm[at]
        at += 1
        if kind == 0:  # function: type index
            _, at = _uleb(wasm, at)
            functions += 1
        elif kind == 1:  # table: reftype, limits
            flags, at = _uleb(wasm, at + 1)
            _, at = _uleb(wasm, at)
            if flags & 1:
                _, at = _uleb(wasm, at)
        elif kind == 2:  # memory: limits
            flags, at = _uleb(wasm, at)
            _, at = _uleb(wasm, at)
            if flags & 1:
                _, at = _uleb(wasm, at)
        elif kind == 3:  # global: valtype, mutability
            at += 2
            globals_ += 1
        else:
            raise ValueError(f"import kind {kind}")
    return functions, globals_


def _vector(wasm: bytes, section: _Section | None) -> tuple[int, int]:
    """(count, offset of the first entry) of a section that is one vector."""
    if section is None:
        return 0, 0
    return _uleb(wasm, section.start)


def _function_types(wasm: bytes, sections: list[_Section]) -> tuple[list[tuple[bytes, bytes]], list[int]]:
    """(types as (params, results), type index of each defined function)."""
    types = []
    count, at = _vector(wasm, _one(sections, 1))
    for _ in range(count):
        if wasm[at] != 0x60:
            raise ValueError("unexpected type form")
        params, at = _uleb(wasm, at + 1)
        param_types, at = wasm[at:at + params], at + params
        results, at = _uleb(wasm, at)
        types.append((param_types, wasm[at:at + results]))
        at += results
    indices = []
    count, at = _vector(wasm, _one(sections, 3))
    for _ in range(count):
        index, at = _uleb(wasm, at)
        indices.append(index)
    return types, indices


def _bodies(wasm: bytes, sections: list[_Section]) -> list[tuple[int, int]]:
    """(offset, size) of each function body in the code section."""
    found = []
    count, at = _vector(wasm, _one(sections, 10))
    for _ in range(count):
        size, at = _uleb(wasm, at)
        found.append((at, size))
        at += size
    return found


def _code_start(body: bytes) -> int:
    """Offset of the first instruction in a function body (after its local declarations)."""
    groups, at = _uleb(body, 0)
    for _ in range(groups):
        _, at = _uleb(body, at)
        at += 1  # value type
    return at


def _rewrite(wasm: bytes, replaced: dict[int, bytes]) -> bytes:
    """`wasm` with the contents of some sections replaced ({section start offset: new content})."""
    out, at = [wasm[:8]], 8
    for section in _sections(wasm):
        content = replaced.get(section.start, wasm[section.start:section.start + section.size])
        out.append(bytes([section.id]) + _enc_uleb(len(content)) + content)
        at = section.start + section.size
    return b"".join(out)


def add_guards(wasm: bytes, functions: tuple[int, ...], name: str = GLOBAL_NAME) -> bytes:
    """Add an exported mutable i32 global `name` (initially 0) and make each function in `functions` (indices in the
    function index space; each must return nothing) start with `if (name == 0) return;`."""
    sections = _sections(wasm)
    imported_functions, imported_globals = _imports(wasm, sections)
    types, type_of = _function_types(wasm, sections)
    bodies = _bodies(wasm, sections)
    globals_section, exports_section, code_section = _one(sections, 6), _one(sections, 7), _one(sections, 10)
    if globals_section is None or exports_section is None or code_section is None:
        raise ValueError("the module has no global, export or code section")
    defined_globals, first_global = _vector(wasm, globals_section)
    new_global = imported_globals + defined_globals
    targets = set(functions)
    for index in targets:
        local = index - imported_functions
        if not 0 <= local < len(bodies) or types[type_of[local]][1]:
            raise ValueError(f"function {index} is not a defined function that returns nothing")

    end = globals_section.start + globals_section.size
    globals_content = (_enc_uleb(defined_globals + 1) + wasm[first_global:end]
                       + b"\x7f\x01\x41\x00\x0b")  # i32, mutable, init i32.const 0
    exports, first_export = _vector(wasm, exports_section)
    end = exports_section.start + exports_section.size
    encoded = name.encode()
    exports_content = (_enc_uleb(exports + 1) + wasm[first_export:end]
                       + _enc_uleb(len(encoded)) + encoded + b"\x03" + _enc_uleb(new_global))
    # global.get g; i32.eqz; if (empty block type); return; end
    check = b"\x23" + _enc_uleb(new_global) + b"\x45\x04\x40\x0f\x0b"
    parts = [_enc_uleb(len(bodies))]
    for local, (start, size) in enumerate(bodies):
        body = wasm[start:start + size]
        if local + imported_functions in targets:
            split = _code_start(body)
            body = body[:split] + check + body[split:]
        parts.append(_enc_uleb(len(body)) + body)
    return _rewrite(wasm, {globals_section.start: globals_content, exports_section.start: exports_content,
                           code_section.start: b"".join(parts)})


# -- finding the functions ---------------------------------------------------------------------------------------
def discover(wasm: bytes) -> dict[str, tuple[int, ...]]:
    """{kind: function indices} of the functions that are nothing but a debug assertion: they return nothing,
    reference their kind's marker string and no string outside their kind's set (strings are found as the
    `i32.const` addresses of the NUL-terminated texts the module's data segments place in memory)."""
    sections = _sections(wasm)
    imported_functions, _ = _imports(wasm, sections)
    types, type_of = _function_types(wasm, sections)
    bodies = _bodies(wasm, sections)
    memory = _data_in_memory(wasm, sections, bodies)
    starts = [address for address, _, _ in memory]

    def text_at(address: int) -> str | None:
        slot = bisect.bisect_right(starts, address) - 1
        if slot < 0:
            return None
        base, offset, size = memory[slot]
        if address >= base + size:
            return None
        begin = offset + address - base
        stop = wasm.find(b"\0", begin, begin + 400)
        raw = wasm[begin:stop if stop >= 0 else begin + 400]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return text if len(text) >= 3 and text.isprintable() else None

    def strings_of(local: int) -> set[str]:
        start, size = bodies[local]
        found = set()
        at = wasm.find(b"\x41", start, start + size)
        while at >= 0:
            try:
                value, _ = _sleb(wasm, at + 1)
            except IndexError:
                break
            if value > 0 and (text := text_at(value)) is not None:
                found.add(text)
            at = wasm.find(b"\x41", at + 1, start + size)
        return found

    result: dict[str, tuple[int, ...]] = {}
    for kind, (marker, allowed, prefixes) in _KINDS.items():
        candidates = set()
        for address in _addresses_of(wasm, memory, marker):
            pattern = b"\x41" + _enc_sleb(address)
            code = _one(sections, 10)
            assert code is not None
            at = wasm.find(pattern, code.start, code.start + code.size)
            body_starts = [start for start, _ in bodies]
            while at >= 0:
                candidates.add(bisect.bisect_right(body_starts, at) - 1)
                at = wasm.find(pattern, at + 1, code.start + code.size)
        chosen = []
        for local in sorted(candidates):
            if types[type_of[local]][1]:
                continue
            strings = strings_of(local)
            if marker in strings and all(s in allowed or s.startswith(prefixes) for s in strings):
                chosen.append(local + imported_functions)
        result[kind] = tuple(chosen)
    return result


def _addresses_of(wasm: bytes, memory: list[tuple[int, int, int]], text: str) -> list[int]:
    needle = text.encode() + b"\0"
    found = []
    for address, offset, size in memory:
        at = wasm.find(needle, offset, offset + size)
        while at >= 0:
            if at == offset or wasm[at - 1] == 0:  # the start of a string, not the tail of a longer one
                found.append(address + at - offset)
            at = wasm.find(needle, at + 1, offset + size)
    return found


def _data_in_memory(wasm: bytes, sections: list[_Section], bodies: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """[(memory address, file offset, size)] of the data segments, sorted. Active segments carry their address;
    passive ones (a module with shared memory) get it from the `memory.init` that copies them in
    (`i32.const dest; i32.const 0; i32.const size; memory.init seg`), searched in the first function that has them."""
    segments = []
    count, at = _vector(wasm, _one(sections, 11))
    for _ in range(count):
        mode, at = _uleb(wasm, at)
        address = None
        if mode in (0, 2):
            if mode == 2:
                _, at = _uleb(wasm, at)
            if wasm[at] != 0x41:
                raise ValueError("data segment offset is not an i32.const")
            address, at = _sleb(wasm, at + 1)
            at += 1  # end
        size, at = _uleb(wasm, at)
        segments.append((address, at, size))
        at += size
    passive = {i for i, (address, _, _) in enumerate(segments) if address is None}
    addresses = {i: address for i, (address, _, _) in enumerate(segments) if address is not None}
    for start, size in bodies if passive else ():
        at = wasm.find(b"\xfc\x08", start, start + size)
        if at < 0:
            continue
        scan = start
        while (scan := wasm.find(b"\x41", scan, start + size)) >= 0:
            try:
                dest, after = _sleb(wasm, scan + 1)
                if wasm[after] == 0x41:
                    _, after = _sleb(wasm, after + 1)
                    if wasm[after] == 0x41:
                        length, after = _sleb(wasm, after + 1)
                        if wasm[after:after + 2] == b"\xfc\x08":
                            segment, _ = _uleb(wasm, after + 2)
                            if segment in passive and segments[segment][2] == length:
                                addresses[segment] = dest
            except IndexError:
                break
            scan += 1
        if passive <= addresses.keys():
            break
    return sorted((addresses[i], offset, size) for i, (_, offset, size) in enumerate(segments) if i in addresses)


def _main() -> None:  # pragma: no cover - a maintenance tool
    from pathlib import Path

    from zetasql.wasi import get_wasm_path

    wasm = Path(get_wasm_path()).read_bytes()
    found = discover(wasm)
    for kind, functions in found.items():
        print(f"# {kind}: {len(functions)} functions")
    print(f'"{digest(wasm)}": {tuple(sorted(i for f in found.values() for i in f))},')


if __name__ == "__main__":  # pragma: no cover
    _main()
