"""Parameters and results with every ``sensitive`` value masked, for the audit log.

botocore marks the shapes that carry secrets ``"sensitive": true``: passwords, private keys,
secret access keys, SAML assertions, web identity tokens. The audit log records each request
with CloudTrail's field names, and "secrets never appear in it" (DESIGN.md); where AWS hides a
value in CloudTrail it writes ``HIDDEN_DUE_TO_SECURITY_REASONS`` (IAM User Guide, *Logging IAM
and AWS STS API calls with AWS CloudTrail*), and so does this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from iamd.protocol.model import Kind, Node

__all__ = ["HIDDEN", "redact"]

HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"


def redact(node: Node | None, value: Mapping[str, object] | None) -> dict[str, object]:
    """A copy of ``value`` (snake_case, shaped as ``node``) with sensitive values masked."""
    if node is None or value is None:
        return {}
    return cast(dict[str, object], _redact(node, value))


def _redact(node: Node, value: object) -> object:
    if node.sensitive:
        return HIDDEN
    if node.kind is Kind.STRUCTURE:
        fields = cast(Mapping[str, object], value)
        masked: dict[str, object] = {}
        for name, item in fields.items():
            member = node.by_python.get(name)
            masked[name] = item if member is None or item is None else _redact(member.node, item)
        return masked
    if node.kind is Kind.LIST and node.member is not None:
        return [_redact(node.member, item) for item in cast(Sequence[object], value)]
    if node.kind is Kind.MAP and node.value is not None:
        entries = cast(Mapping[object, object], value)
        return {key: _redact(node.value, item) for key, item in entries.items()}
    return value
