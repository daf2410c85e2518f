"""ZetaSQL wire types and values <-> fedkit LogicalTypes and Arrow (used by the ZetaSQL service).

Encodings (zetasql `ValueProto`, checked against the evaluator's own output):
- DATE: days since 1970-01-01; TIMESTAMP: google.protobuf.Timestamp (seconds, nanos), an instant in UTC;
- DATETIME: `bit_field_datetime_seconds` = year<<26 | month<<22 | day<<17 | hour<<12 | minute<<6 | second, + nanos;
- TIME: hour<<42 | minute<<36 | second<<30 | nanos;
- NUMERIC / BIGNUMERIC: the value scaled by 10^9 / 10^38 as a minimal little-endian two's-complement integer;
- NULL: a ValueProto with no field set.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from toolkit.types import LogicalType

_EPOCH_DATE = dt.date(1970, 1, 1)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_NUMERIC_SCALE = 9
_BIGNUMERIC_SCALE = 38


# -- types -------------------------------------------------------------------------------------------------------------
def type_proto(logical: LogicalType) -> Any:
    """The zetasql TypeProto of a column, using the one type map (`LogicalType.render("zetasql")`)."""
    from zetasql.wasi._pb2.zetasql.public import type_pb2

    kind_name = logical.render("zetasql")
    proto = type_pb2.TypeProto(type_kind=type_pb2.TypeKind.Value(kind_name))
    if logical.kind == "list":
        proto.array_type.element_type.CopyFrom(type_proto(logical.children[0][1]))
    elif logical.kind == "struct":
        for name, child in logical.children:
            proto.struct_type.field.add(field_name=name, field_type=type_proto(child))
    return proto


def type_name(proto: Any) -> str:
    """A BigQuery-style name of a TypeProto (for messages): INT64, ARRAY<STRING>, STRUCT<a INT64>."""
    from zetasql.wasi._pb2.zetasql.public import type_pb2

    name = type_pb2.TypeKind.Name(proto.type_kind).removeprefix("TYPE_")
    if name == "ARRAY":
        return f"ARRAY<{type_name(proto.array_type.element_type)}>"
    if name == "STRUCT":
        return "STRUCT<" + ", ".join(f"{f.field_name} {type_name(f.field_type)}" for f in proto.struct_type.field) + ">"
    return {"DOUBLE": "FLOAT64", "FLOAT": "FLOAT32"}.get(name, name)


# -- Python -> ValueProto ----------------------------------------------------------------------------------------------
def to_value(value: Any, logical: LogicalType) -> Any:
    """A Python value (as `pyarrow` `to_pylist()` gives it) as a ValueProto of the column's zetasql type."""
    from zetasql.wasi._pb2.zetasql.public import value_pb2

    proto = value_pb2.ValueProto()
    if value is None:
        return proto
    kind = logical.render("zetasql")
    if kind == "TYPE_BOOL":
        proto.bool_value = bool(value)
    elif kind == "TYPE_INT64":
        proto.int64_value = int(value)
    elif kind == "TYPE_DOUBLE":
        proto.double_value = float(value)
    elif kind == "TYPE_STRING":
        proto.string_value = str(value)
    elif kind == "TYPE_BYTES":
        proto.bytes_value = bytes(value)
    elif kind == "TYPE_DATE":
        proto.date_value = (value - _EPOCH_DATE).days
    elif kind == "TYPE_TIMESTAMP":
        micros = _epoch_micros(value)
        proto.timestamp_value.seconds, rest = divmod(micros, 1_000_000)
        proto.timestamp_value.nanos = rest * 1000
    elif kind == "TYPE_DATETIME":
        proto.datetime_value.bit_field_datetime_seconds = (
            value.year << 26 | value.month << 22 | value.day << 17 | value.hour << 12 | value.minute << 6 | value.second
        )
        proto.datetime_value.nanos = value.microsecond * 1000
    elif kind == "TYPE_TIME":
        proto.time_value = value.hour << 42 | value.minute << 36 | value.second << 30 | value.microsecond * 1000
    elif kind == "TYPE_NUMERIC":
        proto.numeric_value = _scaled_bytes(value, _NUMERIC_SCALE)
    elif kind == "TYPE_BIGNUMERIC":
        proto.bignumeric_value = _scaled_bytes(value, _BIGNUMERIC_SCALE)
    elif kind == "TYPE_ARRAY":
        element = logical.children[0][1]
        for item in value:
            proto.array_value.element.append(to_value(item, element))
        if not value:
            proto.array_value.SetInParent()
    elif kind == "TYPE_STRUCT":
        proto.struct_value.SetInParent()
        for name, child in logical.children:
            proto.struct_value.field.append(to_value(value.get(name), child))
    else:  # pragma: no cover - the type map only produces the kinds above
        raise ValueError(f"no zetasql value encoding for {logical}")
    return proto


def _epoch_micros(value: Any) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _scaled_bytes(value: Any, scale: int) -> bytes:
    number = Decimal(value).scaleb(scale).to_integral_value()
    integer = int(number)
    return integer.to_bytes(max(1, (integer.bit_length() + 8) // 8), "little", signed=True)


# -- ValueProto -> Python ----------------------------------------------------------------------------------------------
def from_value(proto: Any, type_: Any) -> Any:
    """A ValueProto of TypeProto `type_` as a Python value (None for NULL)."""
    from zetasql.wasi._pb2.zetasql.public import type_pb2

    field = proto.WhichOneof("value")
    if field is None:
        return None
    kind = type_pb2.TypeKind.Name(type_.type_kind)
    if kind == "TYPE_ARRAY":
        return [from_value(item, type_.array_type.element_type) for item in proto.array_value.element]
    if kind == "TYPE_STRUCT":
        fields = type_.struct_type.field
        return {f.field_name or f"_field_{i + 1}": from_value(v, f.field_type) for i, (f, v) in enumerate(zip(fields, proto.struct_value.field))}
    if field == "date_value":
        return _EPOCH_DATE + dt.timedelta(days=proto.date_value)
    if field == "timestamp_value":
        micros = proto.timestamp_value.seconds * 1_000_000 + proto.timestamp_value.nanos // 1000
        return _EPOCH + dt.timedelta(microseconds=micros)
    if field == "datetime_value":
        bits = proto.datetime_value.bit_field_datetime_seconds
        return dt.datetime(
            bits >> 26, (bits >> 22) & 0xF, (bits >> 17) & 0x1F, (bits >> 12) & 0x1F, (bits >> 6) & 0x3F, bits & 0x3F,
            proto.datetime_value.nanos // 1000,
        )
    if field == "time_value":
        bits = proto.time_value
        return dt.time(bits >> 42, (bits >> 36) & 0x3F, (bits >> 30) & 0x3F, (bits & ((1 << 30) - 1)) // 1000)
    if field == "numeric_value":
        return _unscaled(proto.numeric_value, _NUMERIC_SCALE)
    if field == "bignumeric_value":
        return _unscaled(proto.bignumeric_value, _BIGNUMERIC_SCALE)
    if field == "interval_value":
        return proto.interval_value.hex()
    return getattr(proto, field)


def _unscaled(data: bytes, scale: int) -> Decimal:
    return Decimal(int.from_bytes(data, "little", signed=True)).scaleb(-scale) if data else Decimal(0)


def arrow_type(type_: Any) -> Any:
    """The Arrow type a result column of TypeProto `type_` becomes."""
    import pyarrow as pa
    from zetasql.wasi._pb2.zetasql.public import type_pb2

    kind = type_pb2.TypeKind.Name(type_.type_kind)
    simple = {
        "TYPE_INT64": pa.int64(),
        "TYPE_INT32": pa.int32(),
        "TYPE_UINT32": pa.uint32(),
        "TYPE_UINT64": pa.uint64(),
        "TYPE_BOOL": pa.bool_(),
        "TYPE_DOUBLE": pa.float64(),
        "TYPE_FLOAT": pa.float32(),
        "TYPE_STRING": pa.string(),
        "TYPE_BYTES": pa.binary(),
        "TYPE_DATE": pa.date32(),
        "TYPE_TIMESTAMP": pa.timestamp("us", tz="UTC"),
        "TYPE_DATETIME": pa.timestamp("us"),
        "TYPE_TIME": pa.time64("us"),
        "TYPE_NUMERIC": pa.decimal128(38, _NUMERIC_SCALE),
        "TYPE_BIGNUMERIC": pa.decimal256(76, _BIGNUMERIC_SCALE),
        "TYPE_JSON": pa.string(),
    }
    if kind in simple:
        return simple[kind]
    if kind == "TYPE_ARRAY":
        return pa.list_(arrow_type(type_.array_type.element_type))
    if kind == "TYPE_STRUCT":
        return pa.struct(
            [pa.field(f.field_name or f"_field_{i + 1}", arrow_type(f.field_type)) for i, f in enumerate(type_.struct_type.field)]
        )
    return pa.string()


def to_arrow(columns: Any, rows: Any) -> Any:
    """Result columns (name + TypeProto) and TableData rows as a pyarrow Table (duplicate names get a suffix)."""
    import pyarrow as pa

    names: list[str] = []
    seen: dict[str, int] = {}
    for index, column in enumerate(columns):
        name = column.name or f"_col{index}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    values: list[list[Any]] = [[] for _ in columns]
    for row in rows:
        for index, (cell, column) in enumerate(zip(row.cell, columns)):
            values[index].append(from_value(cell, column.type))
    arrays = [pa.array(values[i], type=arrow_type(c.type)) for i, c in enumerate(columns)]
    return pa.Table.from_arrays(arrays, names=names)
