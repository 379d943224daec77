"""botocore's service model, compiled once into the nodes the parser, checker and serializer walk.

A botocore ``Shape`` is a view over the model's JSON that re-reads dictionaries on every access;
walking it on each request would cost more than the request. Here every shape an operation
reaches becomes a frozen :class:`Node` that already holds what the wire layers need: the kind,
each member's wire name (``UserName``), Python name (``user_name``, by ``botocore.xform_name``)
and path name in AWS validation messages (``userName``), the compiled ``pattern`` and the other
constraints (Smithy's ``length``, ``range``, ``pattern``, ``enum``, ``required``; botocore folds
length and range into ``min`` / ``max``, which bound the length of strings, blobs, lists and maps
and the value of numbers).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

import botocore.model
from botocore import xform_name

from iamd.protocol.patterns import compile_pattern

__all__ = ["SCALARS", "Kind", "Member", "Node", "Operation", "compile_operations"]


class Kind(enum.Enum):
    STRUCTURE = "structure"
    LIST = "list"
    MAP = "map"
    STRING = "string"
    INTEGER = "integer"
    LONG = "long"
    FLOAT = "float"
    DOUBLE = "double"
    BOOLEAN = "boolean"
    TIMESTAMP = "timestamp"
    BLOB = "blob"


SCALARS = frozenset(
    {
        Kind.STRING,
        Kind.INTEGER,
        Kind.LONG,
        Kind.FLOAT,
        Kind.DOUBLE,
        Kind.BOOLEAN,
        Kind.TIMESTAMP,
        Kind.BLOB,
    }
)
_SIZED = frozenset({Kind.STRING, Kind.BLOB, Kind.LIST, Kind.MAP})
_NUMERIC = frozenset({Kind.INTEGER, Kind.LONG, Kind.FLOAT, Kind.DOUBLE})


@dataclass(frozen=True, slots=True)
class Member:
    """One member of a structure, under its three names."""

    wire: str  # 'UserName': the Query parameter and the XML element
    python: str  # 'user_name': the key in parsed params and in results
    path: str  # 'userName': the name in AWS's validation messages
    node: Node


@dataclass(frozen=True, slots=True, eq=False)
class Node:
    """A compiled shape. Fields that do not apply to its kind stay at their defaults."""

    name: str
    kind: Kind
    sensitive: bool = False
    min: int | float | None = None
    max: int | float | None = None
    pattern: str | None = None
    regex: re.Pattern[str] | None = None
    enum: tuple[str, ...] = ()
    # structure
    members: tuple[Member, ...] = ()
    by_wire: Mapping[str, Member] = field(default_factory=dict)
    by_python: Mapping[str, Member] = field(default_factory=dict)
    required: tuple[str, ...] = ()  # wire names
    union: bool = False
    # list (member) and map (key, value)
    member: Node | None = None
    key: Node | None = None
    value: Node | None = None
    # whether this node or anything below it carries a constraint
    checked: bool = False
    # kind families, precomputed: an Enum's hash is a Python call, too slow for the request path
    scalar: bool = False  # not a structure, list or map
    sized: bool = False  # min/max bound its length: string, blob, list, map
    numeric: bool = False  # min/max bound its value: integer, long, float, double


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation: its AWS name, input node and output node with its result wrapper."""

    name: str
    input: Node | None
    output: Node | None
    result_wrapper: str | None


def compile_operations(service: botocore.model.ServiceModel) -> dict[str, Operation]:
    """Compile every operation of ``service``; shapes shared between operations are shared."""
    cache: dict[str, Node] = {}
    operations: dict[str, Operation] = {}
    for name in service.operation_names:
        model = service.operation_model(name)
        input_shape = model.input_shape
        output_shape = model.output_shape
        wrapper = None if output_shape is None else output_shape.serialization.get("resultWrapper")
        operations[name] = Operation(
            name=name,
            input=None if input_shape is None else _compile(input_shape, cache, ()),
            output=None if output_shape is None else _compile(output_shape, cache, ()),
            result_wrapper=wrapper if isinstance(wrapper, str) else None,
        )
    return operations


def _compile(shape: botocore.model.Shape, cache: dict[str, Node], stack: tuple[str, ...]) -> Node:
    cached = cache.get(shape.name)
    if cached is not None:
        return cached
    if shape.name in stack:
        raise NotImplementedError(f"recursive shape {shape.name} is not supported")
    stack = (*stack, shape.name)
    kind = Kind(shape.type_name)
    meta = shape.metadata
    pattern: str | None = meta.get("pattern")
    low: int | float | None = meta.get("min")
    high: int | float | None = meta.get("max")
    choices = tuple(meta.get("enum", ()))
    required = tuple(meta.get("required", ()))
    checked = low is not None or high is not None or pattern is not None or bool(choices)
    if checked and kind in (Kind.BOOLEAN, Kind.TIMESTAMP):
        raise ValueError(f"constraints on the {kind.value} {shape.name} are not supported")
    checked = checked or bool(required)
    members: tuple[Member, ...] = ()
    element = key = value = None
    if kind is Kind.STRUCTURE:
        structure = cast(botocore.model.StructureShape, shape)
        members = tuple(
            Member(
                wire=wire,
                python=xform_name(wire),
                path=wire[:1].lower() + wire[1:],
                node=_compile(member_shape, cache, stack),
            )
            for wire, member_shape in structure.members.items()
        )
        checked = checked or any(member.node.checked for member in members)
    elif kind is Kind.LIST:
        element = _compile(cast(botocore.model.ListShape, shape).member, cache, stack)
        checked = checked or element.checked
    elif kind is Kind.MAP:
        mapping = cast(botocore.model.MapShape, shape)
        key = _compile(mapping.key, cache, stack)
        value = _compile(mapping.value, cache, stack)
        checked = checked or key.checked or value.checked
    by_python = {member.python: member for member in members}
    if len(by_python) != len(members):
        raise ValueError(f"two members of {shape.name} share a Python name")
    node = Node(
        name=shape.name,
        kind=kind,
        sensitive=bool(meta.get("sensitive", False)),
        min=low,
        max=high,
        pattern=pattern,
        regex=None if pattern is None else compile_pattern(pattern),
        enum=choices,
        members=members,
        by_wire={member.wire: member for member in members},
        by_python=by_python,
        required=required,
        union=bool(meta.get("union", False)),
        member=element,
        key=key,
        value=value,
        checked=checked,
        scalar=kind in SCALARS,
        sized=kind in _SIZED,
        numeric=kind in _NUMERIC,
    )
    cache[shape.name] = node
    return node
