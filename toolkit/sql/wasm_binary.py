"""Reading and rewriting the WASM binary format, as much as fedkit needs: sections, LEB128 numbers, imports, function
types and bodies, data segments and where they land in memory. Pure functions of the bytes.
Format: https://webassembly.github.io/spec/core/binary/modules.html
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    id: int
    start: int  # first byte of the content
    size: int


def uleb(data: bytes, at: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, at


def sleb(data: bytes, at: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return (result - (1 << shift) if byte & 0x40 else result), at


def enc_uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def enc_sleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        if (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def read_sections(wasm: bytes) -> list[Section]:
    if wasm[:4] != b"\0asm":
        raise ValueError("not a WASM module")
    found, at = [], 8
    while at < len(wasm):
        section_id = wasm[at]
        size, start = uleb(wasm, at + 1)
        found.append(Section(section_id, start, size))
        at = start + size
    return found


def one_section(sections: list[Section], section_id: int) -> Section | None:
    matching = [s for s in sections if s.id == section_id]
    return matching[0] if matching else None


def read_imports(wasm: bytes, sections: list[Section]) -> tuple[int, int]:
    """(imported functions, imported globals)."""
    section = one_section(sections, 2)
    if section is None:
        return 0, 0
    count, at = uleb(wasm, section.start)
    functions = globals_ = 0
    for _ in range(count):
        for _name in range(2):  # module, field
            length, at = uleb(wasm, at)
            at += length
        kind = wasm[at]
        at += 1
        if kind == 0:  # function: type index
            _, at = uleb(wasm, at)
            functions += 1
        elif kind == 1:  # table: reftype, limits
            flags, at = uleb(wasm, at + 1)
            _, at = uleb(wasm, at)
            if flags & 1:
                _, at = uleb(wasm, at)
        elif kind == 2:  # memory: limits
            flags, at = uleb(wasm, at)
            _, at = uleb(wasm, at)
            if flags & 1:
                _, at = uleb(wasm, at)
        elif kind == 3:  # global: valtype, mutability
            at += 2
            globals_ += 1
        else:
            raise ValueError(f"import kind {kind}")
    return functions, globals_


def vector(wasm: bytes, section: Section | None) -> tuple[int, int]:
    """(count, offset of the first entry) of a section that is one vector."""
    if section is None:
        return 0, 0
    return uleb(wasm, section.start)


def read_function_types(wasm: bytes, sections: list[Section]) -> tuple[list[tuple[bytes, bytes]], list[int]]:
    """(types as (params, results), type index of each defined function)."""
    types = []
    count, at = vector(wasm, one_section(sections, 1))
    for _ in range(count):
        if wasm[at] != 0x60:
            raise ValueError("unexpected type form")
        params, at = uleb(wasm, at + 1)
        param_types, at = wasm[at:at + params], at + params
        results, at = uleb(wasm, at)
        types.append((param_types, wasm[at:at + results]))
        at += results
    indices = []
    count, at = vector(wasm, one_section(sections, 3))
    for _ in range(count):
        index, at = uleb(wasm, at)
        indices.append(index)
    return types, indices


def read_bodies(wasm: bytes, sections: list[Section]) -> list[tuple[int, int]]:
    """(offset, size) of each function body in the code section."""
    found = []
    count, at = vector(wasm, one_section(sections, 10))
    for _ in range(count):
        size, at = uleb(wasm, at)
        found.append((at, size))
        at += size
    return found


def code_start(body: bytes) -> int:
    """Offset of the first instruction in a function body (after its local declarations)."""
    groups, at = uleb(body, 0)
    for _ in range(groups):
        _, at = uleb(body, at)
        at += 1  # value type
    return at


def rewrite(wasm: bytes, replaced: dict[int, bytes]) -> bytes:
    """`wasm` with the contents of some sections replaced ({section start offset: new content})."""
    out = [wasm[:8]]
    for section in read_sections(wasm):
        content = replaced.get(section.start, wasm[section.start:section.start + section.size])
        out.append(bytes([section.id]) + enc_uleb(len(content)) + content)
    return b"".join(out)


def addresses_of(wasm: bytes, memory: list[tuple[int, int, int]], text: str) -> list[int]:
    """Memory addresses where the NUL-terminated `text` starts (`memory` from `read_data_in_memory`)."""
    needle = text.encode() + b"\0"
    found = []
    for address, offset, size in memory:
        at = wasm.find(needle, offset, offset + size)
        while at >= 0:
            if at == offset or wasm[at - 1] == 0:  # the start of a string, not the tail of a longer one
                found.append(address + at - offset)
            at = wasm.find(needle, at + 1, offset + size)
    return found


def read_data_in_memory(wasm: bytes, sections: list[Section],
                        bodies: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """[(memory address, file offset, size)] of the data segments, sorted. Active segments carry their address;
    passive ones (a module with shared memory) get it from the `memory.init` that copies them in
    (`i32.const dest; i32.const 0; i32.const size; memory.init seg`), searched in the first function that has them."""
    segments = []
    count, at = vector(wasm, one_section(sections, 11))
    for _ in range(count):
        mode, at = uleb(wasm, at)
        address = None
        if mode in (0, 2):
            if mode == 2:
                _, at = uleb(wasm, at)
            if wasm[at] != 0x41:
                raise ValueError("data segment offset is not an i32.const")
            address, at = sleb(wasm, at + 1)
            at += 1  # end
        size, at = uleb(wasm, at)
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
                dest, after = sleb(wasm, scan + 1)
                if wasm[after] == 0x41:
                    _, after = sleb(wasm, after + 1)
                    if wasm[after] == 0x41:
                        length, after = sleb(wasm, after + 1)
                        if wasm[after:after + 2] == b"\xfc\x08":
                            segment, _ = uleb(wasm, after + 2)
                            if segment in passive and segments[segment][2] == length:
                                addresses[segment] = dest
            except IndexError:
                break
            scan += 1
        if passive <= addresses.keys():
            break
    return sorted((addresses[i], offset, size) for i, (_, offset, size) in enumerate(segments) if i in addresses)
