"""AWS Query form fields to Python values, against an operation's input shape.

The Query protocol flattens an input structure into form fields (AWS General Reference, *Query
requests*; Smithy's ``awsQuery`` protocol): ``UserName=Bob``; list elements as
``Tags.member.1.Key=team`` (1-based); map entries as ``Properties.entry.1.key=k`` and
``Properties.entry.1.value=v``; nested structures as ``A.B``; an empty list as ``Tags=`` (how
botocore sends one). Values become Python values: integers and longs ``int``, booleans ``bool``,
timestamps timezone-aware ``datetime`` (ISO 8601, UTC when no offset is given), blobs ``bytes``
(base64), strings ``str``. Keys become ``botocore.xform_name`` of the member name at every
level (``Tags.member.1.Key`` gives ``{"tags": [{"key": ...}]}``); map keys stay as sent.

Choices where AWS documents nothing:

- a field that names no member (including ``Action``, ``Version``, the SigV4 ``X-Amz-*`` fields
  and ``Tags.member.0.Key``) is ignored, as AWS ignores parameters it does not know;
- list elements are taken in index order; a gap (``member.1``, ``member.3``) closes up;
- a value that is not of its member's type (``MaxItems=ten``, ``AllUsers=yes``, a list member
  given a value, a map entry without its key or value) is ``InvalidParameterValue`` (400), the
  common AWS error for "an invalid or out-of-range value"; the message names the parameter and
  never repeats the value.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Mapping
from typing import cast

from iamd.errors import InvalidParameterValue
from iamd.protocol.model import Kind, Node

__all__ = ["convert"]

_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_INDEX = re.compile(r"[1-9][0-9]*", re.ASCII)
_ARTICLE = {Kind.INTEGER: "an integer", Kind.LONG: "a long"}
_MAX_DIGITS = 24  # longer than any long, short of int()'s digit limit

# Raw containers while the fields are placed: a structure is {wire name: raw}, a list
# {index: raw}, a map {index: {"key": raw, "value": raw}}; scalars are converted on the spot.
_Raw = dict[object, object]


def convert(node: Node | None, form: Mapping[str, str]) -> dict[str, object]:
    """The parameters of ``form`` for an operation whose input is ``node`` (None: no input)."""
    if node is None:
        return {}
    raw: _Raw = {}
    for name, text in form.items():
        _place(node, raw, name, text)
    return cast(dict[str, object], _finish(node, raw, ""))


def _invalid(name: str, expected: str) -> InvalidParameterValue:
    return InvalidParameterValue(f"Invalid value for parameter {name}: expected {expected}.")


def _place(root: Node, raw: _Raw, name: str, text: str) -> None:
    """Put one field into the raw tree, or drop it if it names no member."""
    resolved = _resolve(root, name.split("."))
    if resolved is None:
        return
    leaf, slots = resolved
    container = raw
    for slot in slots[:-1]:
        container = _child(container, slot)
    if leaf.scalar:
        container[slots[-1]] = _scalar(leaf, text, name)
    elif text == "":
        _child(container, slots[-1])  # an empty list, map or structure: present, empty
    else:
        raise _invalid(name, f"the members of a {leaf.kind.value}")


def _resolve(root: Node, parts: list[str]) -> tuple[Node, list[object]] | None:
    """The node a field names and its slots in the raw tree, or None if it names no member."""
    slots: list[object] = []
    node = root
    count = len(parts)
    at = 0
    while at < count:
        kind = node.kind
        part = parts[at]
        if kind is Kind.STRUCTURE:
            member = node.by_wire.get(part)
            if member is None:
                return None
            slots.append(member.wire)
            node = member.node
            at += 1
        elif kind is Kind.LIST and node.member is not None:
            if part != "member" or at + 1 == count or _INDEX.fullmatch(parts[at + 1]) is None:
                return None
            slots.append(int(parts[at + 1]))
            node = node.member
            at += 2
        elif kind is Kind.MAP and node.key is not None and node.value is not None:
            if part != "entry" or at + 2 >= count or _INDEX.fullmatch(parts[at + 1]) is None:
                return None
            side = parts[at + 2]
            if side not in ("key", "value"):
                return None
            slots += (int(parts[at + 1]), side)
            node = node.key if side == "key" else node.value
            at += 3
        else:
            return None  # a scalar given sub-fields: no such parameter
    return node, slots


def _child(container: _Raw, slot: object) -> _Raw:
    found = container.get(slot)
    if found is None:
        found = container[slot] = {}
    return cast(_Raw, found)


def _scalar(node: Node, text: str, name: str) -> object:
    kind = node.kind
    if kind is Kind.STRING:
        return text
    if kind is Kind.INTEGER or kind is Kind.LONG:
        limit = 2**31 if kind is Kind.INTEGER else 2**63
        if len(text) > _MAX_DIGITS or _INTEGER.fullmatch(text) is None:
            raise _invalid(name, _ARTICLE[kind])
        number = int(text)
        if not -limit <= number < limit:
            raise _invalid(name, _ARTICLE[kind])
        return number
    if kind is Kind.BOOLEAN:
        lowered = text.lower()
        if lowered not in ("true", "false"):
            raise _invalid(name, "true or false")
        return lowered == "true"
    if kind is Kind.TIMESTAMP:
        return _timestamp(text, name)
    if kind is Kind.BLOB:
        try:
            return base64.b64decode(text, validate=True)
        except binascii.Error:
            raise _invalid(name, "base64-encoded data") from None
    if _FLOAT.fullmatch(text) is None:  # FLOAT, DOUBLE
        raise _invalid(name, "a number")
    return float(text)


def _timestamp(text: str, name: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _invalid(name, "an ISO 8601 timestamp") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC)
    return parsed


def _finish(node: Node, raw: object, name: str) -> object:
    """Turn a raw container into the Python value; ``name`` is its wire name, for errors."""
    if node.scalar:
        return raw
    kind = node.kind
    tree = cast(_Raw, raw)
    if kind is Kind.STRUCTURE:
        finished: dict[str, object] = {}
        for wire, item in tree.items():
            member = node.by_wire[cast(str, wire)]
            inner = f"{name}.{wire}" if name else cast(str, wire)
            finished[member.python] = _finish(member.node, item, inner)
        return finished
    indexes = sorted(cast(dict[int, object], tree))
    if kind is Kind.LIST:
        element = cast(Node, node.member)
        return [_finish(element, tree[index], f"{name}.member.{index}") for index in indexes]
    key_node, value_node = cast(Node, node.key), cast(Node, node.value)
    mapping: dict[object, object] = {}
    for index in indexes:
        entry = cast(_Raw, tree[index])
        prefix = f"{name}.entry.{index}"
        if "key" not in entry or "value" not in entry:
            missing = "key" if "key" not in entry else "value"
            raise InvalidParameterValue(f"Missing parameter {prefix}.{missing}.")
        key = _finish(key_node, entry["key"], f"{prefix}.key")
        mapping[key] = _finish(value_node, entry["value"], f"{prefix}.value")
    return mapping
