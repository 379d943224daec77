"""Policy documents at the API: validated by the policy engine, held to AWS's size quotas, and
URL-encoded in responses as AWS sends them (the SDKs decode them with botocore's
``json_decode_policies`` handler)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from iamd.errors import LimitExceeded, MalformedPolicyDocument
from iamd.policy import (
    MANAGED_POLICY_SIZE,
    TRUST_POLICY_SIZE,
    PolicyDocument,
    PolicyError,
    PolicyKind,
    parse_policy,
    policy_size,
)

__all__ = [
    "checked_document",
    "checked_inline_total",
    "checked_managed_document",
    "checked_trust_policy",
    "encoded_document",
]


def encoded_document(text: str) -> str:
    return quote(text, safe="*")


def checked_document(text: str, kind: PolicyKind) -> PolicyDocument:
    """The parsed document, or AWS's MalformedPolicyDocument for its first problem."""
    try:
        return parse_policy(text, kind)
    except PolicyError as err:
        raise MalformedPolicyDocument(err.message) from None


def checked_managed_document(text: str) -> PolicyDocument:
    """A managed policy version or a permissions boundary: at most 6,144 characters."""
    document = checked_document(text, PolicyKind.MANAGED)
    if policy_size(text) > MANAGED_POLICY_SIZE:
        raise LimitExceeded(f"Cannot exceed quota for PolicySize: {MANAGED_POLICY_SIZE}")
    return document


def checked_trust_policy(text: str) -> PolicyDocument:
    document = checked_document(text, PolicyKind.TRUST)
    if policy_size(text) > TRUST_POLICY_SIZE:
        raise LimitExceeded(f"Cannot exceed quota for ACLSizePerRole: {TRUST_POLICY_SIZE}")
    return document


def checked_inline_total(documents: Iterable[str], limit: int, owner: str) -> None:
    """All inline policies of one identity together (``owner`` is e.g. ``user Bob``)."""
    if sum(policy_size(text) for text in documents) > limit:
        raise LimitExceeded(f"Maximum policy size of {limit} bytes exceeded for {owner}")
