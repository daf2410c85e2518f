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
"""

from __future__ import annotations

import bisect
import hashlib

from toolkit.sql import wasm_binary

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


def add_guards(wasm: bytes, functions: tuple[int, ...], name: str = GLOBAL_NAME) -> bytes:
    """Add an exported mutable i32 global `name` (initially 0) and make each function in `functions` (indices in the
    function index space; each must return nothing) start with `if (name == 0) return;`."""
    sections = wasm_binary.read_sections(wasm)
    imported_functions, imported_globals = wasm_binary.read_imports(wasm, sections)
    types, type_of = wasm_binary.read_function_types(wasm, sections)
    bodies = wasm_binary.read_bodies(wasm, sections)
    globals_section, exports_section, code_section = (wasm_binary.one_section(sections, i) for i in (6, 7, 10))
    if globals_section is None or exports_section is None or code_section is None:
        raise ValueError("the module has no global, export or code section")
    defined_globals, first_global = wasm_binary.vector(wasm, globals_section)
    new_global = imported_globals + defined_globals
    targets = set(functions)
    for index in targets:
        local = index - imported_functions
        if not 0 <= local < len(bodies) or types[type_of[local]][1]:
            raise ValueError(f"function {index} is not a defined function that returns nothing")

    end = globals_section.start + globals_section.size
    globals_content = (wasm_binary.enc_uleb(defined_globals + 1) + wasm[first_global:end]
                       + b"\x7f\x01\x41\x00\x0b")  # i32, mutable, init i32.const 0
    exports, first_export = wasm_binary.vector(wasm, exports_section)
    end = exports_section.start + exports_section.size
    encoded = name.encode()
    exports_content = (wasm_binary.enc_uleb(exports + 1) + wasm[first_export:end]
                       + wasm_binary.enc_uleb(len(encoded)) + encoded + b"\x03" + wasm_binary.enc_uleb(new_global))
    # global.get g; i32.eqz; if (empty block type); return; end
    check = b"\x23" + wasm_binary.enc_uleb(new_global) + b"\x45\x04\x40\x0f\x0b"
    parts = [wasm_binary.enc_uleb(len(bodies))]
    for local, (start, size) in enumerate(bodies):
        body = wasm[start:start + size]
        if local + imported_functions in targets:
            split = wasm_binary.code_start(body)
            body = body[:split] + check + body[split:]
        parts.append(wasm_binary.enc_uleb(len(body)) + body)
    return wasm_binary.rewrite(wasm, {globals_section.start: globals_content, exports_section.start: exports_content,
                           code_section.start: b"".join(parts)})


# -- finding the functions ---------------------------------------------------------------------------------------
def discover(wasm: bytes) -> dict[str, tuple[int, ...]]:
    """{kind: function indices} of the functions that are nothing but a debug assertion: they return nothing,
    reference their kind's marker string and no string outside their kind's set (strings are found as the
    `i32.const` addresses of the NUL-terminated texts the module's data segments place in memory)."""
    sections = wasm_binary.read_sections(wasm)
    imported_functions, _ = wasm_binary.read_imports(wasm, sections)
    types, type_of = wasm_binary.read_function_types(wasm, sections)
    bodies = wasm_binary.read_bodies(wasm, sections)
    memory = wasm_binary.read_data_in_memory(wasm, sections, bodies)
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
                value, _ = wasm_binary.sleb(wasm, at + 1)
            except IndexError:
                break
            if value > 0 and (text := text_at(value)) is not None:
                found.add(text)
            at = wasm.find(b"\x41", at + 1, start + size)
        return found

    result: dict[str, tuple[int, ...]] = {}
    for kind, (marker, allowed, prefixes) in _KINDS.items():
        candidates = set()
        for address in wasm_binary.addresses_of(wasm, memory, marker):
            pattern = b"\x41" + wasm_binary.enc_sleb(address)
            code = wasm_binary.one_section(sections, 10)
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
