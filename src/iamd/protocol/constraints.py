"""Every constraint of an operation's input shape, answered with AWS's ``ValidationError`` text.

botocore's client-side validator checks only ``min``; AWS checks the whole model before the
operation runs and answers one ``ValidationError`` (HTTP 400, ``Sender``) that lists every
violation::

    1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must
    have length less than or equal to 64
    2 validation errors detected: Value null at 'userName' failed to satisfy constraint: Member
    must not be null; Value at 'path' failed to satisfy constraint: Member must satisfy regular
    expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)

Where the texts come from (observed AWS responses, not documentation, which has none):

- the sentence forms, the ``"; "`` separator and the count prefix are the AWS ("Coral")
  validation messages seen from IAM, STS and other Query/JSON services, e.g. IAM
  ``Value '...' at 'roleName' failed to satisfy constraint: Member must have length less than or
  equal to 64`` (NixOS/nixops#328, 2015), STS ``Value '20' at 'durationSeconds' ... Member must
  have value greater than or equal to 900`` (Hadoop S3A docs, 2018), Cognito's two-error form;
- the offending value is no longer echoed: IAM answered ``Value at 'roleName' failed to satisfy
  constraint: Member must have length less than or equal to 64`` in 2024 (aws/eks-hybrid#113) and
  ``Value at 'maxSessionDuration' ...`` in 2025 (boto/botocore#3337), where it had quoted the
  value before. So no value, sensitive (passwords, tokens, SAML assertions) or not, ever appears
  here; an absent required member still reads ``Value null at`` (Secrets Manager, 2024);
- member paths are the member names with the first letter lower-cased (``sAMLMetadataDocument``),
  joined by dots, with list elements as ``tags.1.member.key`` (1-based);
- map keys and values are reported once per map, listing every constraint of the key (value)
  shape: ``Map keys must satisfy constraint: [Member must have length less than or equal to 50,
  Member must have length greater than or equal to 1, Member must satisfy regular expression
  pattern: ...]`` (the form Lambda and DynamoDB answer).

The order of several violations is not stable on AWS (it varies between members and services);
here it is the model's member order, and for one member: length, value range, pattern, enum.
A ``union`` (exactly one member set) is not checked here: botocore refuses it client-side, and
AWS's text for it is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from iamd.errors import ValidationError
from iamd.protocol.model import Kind, Node

__all__ = ["check", "violations"]


def check(node: Node, params: Mapping[str, object]) -> None:
    """Raise AWS's ``ValidationError`` if ``params`` (parsed, snake_case) break ``node``'s model."""
    found = violations(node, params)
    if found:
        count = len(found)
        noun = "error" if count == 1 else "errors"
        raise ValidationError(f"{count} validation {noun} detected: " + "; ".join(found))


def violations(node: Node, value: object) -> list[str]:
    """Every violation in ``value`` as AWS words one (``Value at 'x' failed to satisfy ...``)."""
    found: list[str] = []
    if node.checked:
        _check(node, value, "", found)
    return found


def _at(path: str, text: str) -> str:
    return f"Value at '{path}' failed to satisfy constraint: {text}"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _check(node: Node, value: object, path: str, found: list[str]) -> None:
    kind = node.kind
    if kind is Kind.STRUCTURE:
        _check_structure(node, cast(Mapping[str, object], value), path, found)
    elif kind is Kind.LIST:
        items = cast(Sequence[object], value)
        _check_own(node, items, path, found)
        element = node.member
        if element is not None and element.checked:
            for index, item in enumerate(items, 1):
                _check(element, item, f"{path}.{index}.member", found)
    elif kind is Kind.MAP:
        _check_map(node, cast(Mapping[object, object], value), path, found)
    else:
        _check_own(node, value, path, found)


def _check_structure(node: Node, value: Mapping[str, object], path: str, found: list[str]) -> None:
    required = node.required
    for member in node.members:
        item = value.get(member.python)
        if item is None:
            if member.wire in required:
                where = _join(path, member.path)
                found.append(
                    f"Value null at '{where}' failed to satisfy constraint: Member must not be null"
                )
            continue
        if member.node.checked:
            _check(member.node, item, _join(path, member.path), found)


def _check_own(node: Node, value: object, path: str, found: list[str]) -> None:
    for text in _failed(node, value):
        found.append(_at(path, text))


def _failed(node: Node, value: object) -> list[str]:
    """The constraints of ``node`` itself (not its elements) that ``value`` breaks."""
    failed: list[str] = []
    if node.numeric:
        number = cast(float, value)
        if node.min is not None and number < node.min:
            failed.append(f"Member must have value greater than or equal to {node.min}")
        if node.max is not None and number > node.max:
            failed.append(f"Member must have value less than or equal to {node.max}")
        return failed
    # Only strings, blobs, lists and maps remain: the model compiler refuses constraints on
    # booleans and timestamps.
    size = len(cast(Sequence[object], value))
    if node.min is not None and size < node.min:
        failed.append(f"Member must have length greater than or equal to {node.min}")
    if node.max is not None and size > node.max:
        failed.append(f"Member must have length less than or equal to {node.max}")
    if node.kind is Kind.STRING:
        text = cast(str, value)
        if node.regex is not None and node.regex.fullmatch(text) is None:
            failed.append(f"Member must satisfy regular expression pattern: {node.pattern}")
        if node.enum and text not in node.enum:
            failed.append(f"Member must satisfy enum value set: [{', '.join(node.enum)}]")
    return failed


def _all_constraints(node: Node) -> str:
    """Every constraint of a map's key or value shape, as AWS lists them in brackets."""
    measure = "value" if node.numeric else "length"
    texts: list[str] = []
    if node.max is not None:
        texts.append(f"Member must have {measure} less than or equal to {node.max}")
    if node.min is not None:
        texts.append(f"Member must have {measure} greater than or equal to {node.min}")
    if node.pattern is not None:
        texts.append(f"Member must satisfy regular expression pattern: {node.pattern}")
    if node.enum:
        texts.append(f"Member must satisfy enum value set: [{', '.join(node.enum)}]")
    return "[" + ", ".join(texts) + "]"


def _check_map(node: Node, value: Mapping[object, object], path: str, found: list[str]) -> None:
    _check_own(node, value, path, found)
    key_node, value_node = node.key, node.value
    if key_node is not None and key_node.checked and any(_failed(key_node, key) for key in value):
        found.append(_at(path, "Map keys must satisfy constraint: " + _all_constraints(key_node)))
    if value_node is None or not value_node.checked:
        return
    if not value_node.scalar:
        for index, item in enumerate(value.values(), 1):
            _check(value_node, item, f"{path}.entry.{index}.value", found)
    elif any(_failed(value_node, item) for item in value.values()):
        texts = _all_constraints(value_node)
        found.append(_at(path, "Map value must satisfy constraint: " + texts))
