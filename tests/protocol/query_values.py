"""Hypothesis strategies for values of botocore shapes, read from botocore's own shape objects.

``inputs`` draws values that satisfy every constraint of the model (what a correct client may
send); ``outputs`` draws values of the right Python types, as a handler returns them (constraints
do not bind responses). ``snake`` is the reference conversion of a PascalCase value (botocore's
form) to the snake_case form iamd's handlers see. Written from botocore's shapes, not from
``iamd.protocol.model``, so the round-trip tests do not check the code with itself.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import Any

import botocore.model
from botocore import xform_name
from hypothesis import strategies as st

from iamd.protocol.patterns import compile_pattern

__all__ = ["inputs", "outputs", "snake"]

_SLACK = 12  # how far past a minimum length the strategies reach
_REPEATED_CLASS = re.compile(r"(\[.*\])([+*])")
_XML_TEXT = st.characters(
    codec="utf-8",
    exclude_categories=["Cs"],
    exclude_characters=[chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]
    + ["\ufffe", "\uffff"],
)


def snake(shape: botocore.model.Shape, value: Any) -> Any:
    """``value`` with every structure's keys as ``botocore.xform_name`` of the member names."""
    if isinstance(shape, botocore.model.StructureShape):
        return {xform_name(name): snake(shape.members[name], item) for name, item in value.items()}
    if isinstance(shape, botocore.model.ListShape):
        return [snake(shape.member, item) for item in value]
    if isinstance(shape, botocore.model.MapShape):
        return {key: snake(shape.value, item) for key, item in value.items()}
    return value


def inputs(shape: botocore.model.Shape) -> st.SearchStrategy[Any]:
    """Values of ``shape`` that satisfy every one of its constraints."""
    return _strategy(shape, valid=True)


def outputs(shape: botocore.model.Shape) -> st.SearchStrategy[Any]:
    """Values of ``shape`` of the right Python types, constraints ignored."""
    return _strategy(shape, valid=False)


def _strategy(shape: botocore.model.Shape, *, valid: bool) -> st.SearchStrategy[Any]:
    meta = shape.metadata if valid else {}
    low = int(meta.get("min", 0))
    high = int(meta.get("max", sys.maxsize))
    kind = shape.type_name
    if isinstance(shape, botocore.model.StructureShape):
        return _structure(shape, valid=valid)
    if isinstance(shape, botocore.model.ListShape):
        element = _strategy(shape.member, valid=valid)
        return st.lists(element, min_size=low, max_size=min(high, low + 3))
    if isinstance(shape, botocore.model.MapShape):
        # The Query protocol cannot carry an empty map (botocore sends nothing for one).
        keys = _strategy(shape.key, valid=valid)
        values = _strategy(shape.value, valid=valid)
        return st.dictionaries(keys, values, min_size=max(low, 1), max_size=min(high, low + 3))
    if kind == "string":
        return _string(shape, valid=valid)
    if kind == "integer":
        return st.integers(max(-(2**31), int(meta.get("min", -(2**31)))), min(2**31 - 1, high))
    if kind == "long":
        return st.integers(max(-(2**63), int(meta.get("min", -(2**63)))), min(2**63 - 1, high))
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.datetimes(
            min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2200, 1, 1)
        ).map(lambda moment: moment.replace(microsecond=0, tzinfo=dt.UTC))
    if kind == "blob":
        return st.binary(min_size=low, max_size=min(high, low + 40))
    raise NotImplementedError(kind)


def _structure(shape: botocore.model.StructureShape, *, valid: bool) -> st.SearchStrategy[Any]:
    members = {name: _strategy(member, valid=valid) for name, member in shape.members.items()}
    if shape.metadata.get("union"):
        return st.one_of(*(_alone(name, strategy) for name, strategy in members.items()))
    required = {name: members[name] for name in shape.required_members}
    optional = {name: strategy for name, strategy in members.items() if name not in required}
    drawn = st.fixed_dictionaries(required, optional=optional)
    # The Query protocol cannot carry an empty structure either: it has no field of its own.
    return drawn.filter(bool) if valid and members else drawn


def _alone(name: str, strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return strategy.map(lambda item: {name: item})


def _string(shape: botocore.model.Shape, *, valid: bool) -> st.SearchStrategy[str]:
    meta = shape.metadata if valid else {}
    if meta.get("enum"):
        return st.sampled_from(meta["enum"])
    low = int(meta.get("min", 0))
    high = min(int(meta.get("max", low + _SLACK)), low + _SLACK)
    pattern = meta.get("pattern")
    if pattern is None:
        return st.text(alphabet=_XML_TEXT, min_size=low, max_size=high)
    regex = compile_pattern(pattern)
    repeated = _REPEATED_CLASS.fullmatch(pattern)
    if repeated is not None and repeated.group(1).count("[") == 1:
        alphabet = st.from_regex(compile_pattern(repeated.group(1)), fullmatch=True)
        low = max(low, 1 if repeated.group(2) == "+" else 0)
        drawn = st.text(alphabet=alphabet, min_size=low, max_size=max(high, low))
    else:
        drawn = st.from_regex(regex, fullmatch=True)
    return drawn.filter(lambda text: low <= len(text) <= int(meta.get("max", sys.maxsize))).filter(
        lambda text: regex.fullmatch(text) is not None
    )
