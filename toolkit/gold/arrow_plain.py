"""Arrow's view and large types as their plain twins, once, where gold data enters fedkit.

Polars, DuckDB and tpchgen write `string_view`, `binary_view`, `large_string`, `large_binary` and `large_list`
columns. They hold the same values as `string`, `binary` and `list` (the one type map, `toolkit.types.from_arrow`,
gives every flavour the same engine type), but many Arrow compute kernels have no view kernel (`take`, `is_in`,
`unique` on `string_view` raise ArrowNotImplementedError in pyarrow 26), so the sampler and the oracles would each need
their own special case. Casting at the boundary is exact: only the offsets' width and layout change. A single chunk
over 2 GiB of text cannot be a plain `string`; such a column keeps its large type (the kernels have large ones).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

_OFFSET_LIMIT = 2**31 - 1  # a plain string/binary/list chunk holds at most this many bytes (int32 offsets)


def plain_type(data_type: "pa.DataType") -> "pa.DataType":
    """`data_type` with every view or large flavour (nested ones too) replaced by its plain twin."""
    import pyarrow as pa
    import pyarrow.types as t

    check = lambda name: bool(getattr(t, f"is_{name}", lambda _: False)(data_type))  # noqa: E731 (older pyarrow)
    if check("string_view") or t.is_large_string(data_type):
        return pa.string()
    if check("binary_view") or t.is_large_binary(data_type):
        return pa.binary()
    if t.is_list(data_type) or t.is_large_list(data_type) or check("list_view") or check("large_list_view"):
        return pa.list_(data_type.value_field.with_type(plain_type(data_type.value_type)))
    if t.is_fixed_size_list(data_type):
        return pa.list_(data_type.value_field.with_type(plain_type(data_type.value_type)), data_type.list_size)
    if t.is_struct(data_type):
        return pa.struct([data_type.field(i).with_type(plain_type(data_type.field(i).type))
                          for i in range(data_type.num_fields)])
    if t.is_map(data_type):
        return pa.map_(plain_type(data_type.key_type), plain_type(data_type.item_type))
    if t.is_dictionary(data_type):
        return pa.dictionary(data_type.index_type, plain_type(data_type.value_type), data_type.ordered)
    return data_type


def plain_table(table: "pa.Table") -> "pa.Table":
    """The table with plain types (the same object when it has none to change)."""
    import pyarrow as pa

    fields = []
    for field in table.schema:
        plain = plain_type(field.type)
        if plain != field.type and _too_big(table.column(field.name)):
            plain = field.type
        fields.append(field.with_type(plain))
    schema = pa.schema(fields, metadata=table.schema.metadata)
    return table if schema.equals(table.schema) else table.cast(schema)


def _too_big(column: "pa.ChunkedArray") -> bool:
    """Some chunk carries more bytes than int32 offsets address (a plain cast would fail)."""
    return any(chunk.nbytes > _OFFSET_LIMIT for chunk in column.chunks)
