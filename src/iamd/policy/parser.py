"""Parse a policy document: JSON, then the grammar, then AWS's validation, first error wins.

"Grammar of the IAM JSON policy language" (reference_policies_grammar) and the elements
reference. Any shape the grammar does not allow is AWS's ``Syntax errors in policy.``; the
checks that follow (version, legacy parsing, Sid uniqueness, actions, resource formats, action
vendors, principals) are in ``iamd.policy.validate`` in the order AWS applies them.
"""

from __future__ import annotations

import json
from typing import cast

from iamd.policy._jsonpos import LineIndex, statement_spans
from iamd.policy.conditions import parse_operator
from iamd.policy.errors import PolicyError
from iamd.policy.model import (
    Condition,
    Effect,
    PolicyDocument,
    PolicyKind,
    Position,
    PrincipalElement,
    Statement,
)
from iamd.policy.validate import RawStatement, validate

__all__ = ["SYNTAX_ERROR", "parse_policy"]

SYNTAX_ERROR = "Syntax errors in policy."
VERSIONS = ("2012-10-17", "2008-10-17")
_TOP = frozenset({"Version", "Id", "Statement"})
_ELEMENTS = frozenset(
    {
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    }
)
_PRINCIPAL_KEYS = {
    "AWS": "aws",
    "Service": "service",
    "Federated": "federated",
    "CanonicalUser": "canonical_user",
}

JsonValue = object


def _reject_constant(name: str) -> object:
    raise ValueError(name)


def _syntax(ok: bool) -> None:
    if not ok:
        raise PolicyError(SYNTAX_ERROR)


def _strings(value: JsonValue) -> tuple[str, ...]:
    """A string-or-list-of-strings element as a tuple."""
    if isinstance(value, str):
        return (value,)
    _syntax(isinstance(value, list) and all(isinstance(v, str) for v in value))
    return tuple(cast(list[str], value))


def _scalar_text(value: JsonValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    _syntax(isinstance(value, (str, int, float)))
    return value if isinstance(value, str) else json.dumps(value)


def _condition_values(value: JsonValue) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(_scalar_text(v) for v in value)
    return (_scalar_text(value),)


def _conditions(value: JsonValue) -> tuple[Condition, ...]:
    _syntax(isinstance(value, dict))
    out: list[Condition] = []
    for operator, block in cast(dict[str, JsonValue], value).items():
        _syntax(isinstance(block, dict))
        entries = cast(dict[str, JsonValue], block)
        if parse_operator(operator) is None:
            _syntax(not entries)  # AWS ignores an unknown operator with an empty block
            continue
        for key, values in entries.items():
            out.append(Condition(operator, key, _condition_values(values)))
    return tuple(out)


def _principal(value: JsonValue) -> PrincipalElement:
    if isinstance(value, str):
        _syntax(value == "*")
        return PrincipalElement(wildcard=True)
    _syntax(isinstance(value, dict) and bool(value))
    fields: dict[str, tuple[str, ...]] = {}
    for key, values in cast(dict[str, JsonValue], value).items():
        _syntax(key in _PRINCIPAL_KEYS)
        fields[_PRINCIPAL_KEYS[key]] = _strings(values)
    return PrincipalElement(
        aws=fields.get("aws", ()),
        service=fields.get("service", ()),
        federated=fields.get("federated", ()),
        canonical_user=fields.get("canonical_user", ()),
    )


def _raw_statement(value: JsonValue) -> RawStatement:
    _syntax(isinstance(value, dict))
    raw = cast(dict[str, JsonValue], value)
    _syntax(all(key in _ELEMENTS for key in raw))
    for a, b in (
        ("Action", "NotAction"),
        ("Resource", "NotResource"),
        ("Principal", "NotPrincipal"),
    ):
        _syntax(not (a in raw and b in raw))
    effect = raw.get("Effect")
    _syntax(isinstance(effect, str) and effect.lower() in ("allow", "deny"))
    sid = raw.get("Sid")
    _syntax(sid is None or isinstance(sid, str))
    lists = {}
    for name in ("Action", "NotAction", "Resource", "NotResource"):
        lists[name] = _strings(raw[name]) if name in raw else None
    principal = _principal(raw["Principal"]) if "Principal" in raw else None
    not_principal = _principal(raw["NotPrincipal"]) if "NotPrincipal" in raw else None
    conditions = _conditions(raw["Condition"]) if "Condition" in raw else ()
    return RawStatement(
        sid=cast(str | None, sid),
        effect=cast(str, effect),
        actions=lists["Action"],
        not_actions=lists["NotAction"],
        resources=lists["Resource"],
        not_resources=lists["NotResource"],
        principal=principal,
        not_principal=not_principal,
        conditions=conditions,
    )


def _load(text: str) -> dict[str, JsonValue]:
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise PolicyError(SYNTAX_ERROR) from None
    _syntax(isinstance(data, dict))
    return cast(dict[str, JsonValue], data)


def parse_policy(text: str, kind: PolicyKind, *, unique_ids: bool = False) -> PolicyDocument:
    """Parse and validate ``text`` as a policy of ``kind``; raise :class:`PolicyError`.

    The error message is AWS's MalformedPolicyDocument text for the first problem found.
    ``unique_ids`` accepts a user's or role's unique id as an ``AWS`` principal: only for a
    stored trust policy that iamd wrote as of now (:mod:`iamd.policy.principal_ids`), never for
    a policy a request brings.
    """
    data = _load(text)
    _syntax(all(key in _TOP for key in data))
    version = data.get("Version")
    _syntax(version is None or version in VERSIONS)
    policy_id = data.get("Id")
    _syntax(policy_id is None or isinstance(policy_id, str))
    _syntax("Statement" in data)
    body = data["Statement"]
    items = [body] if isinstance(body, dict) else body
    _syntax(isinstance(items, list) and bool(items))
    raws = [_raw_statement(item) for item in cast(list[JsonValue], items)]
    validate(raws, kind, cast(str | None, version), unique_ids=unique_ids)
    index = LineIndex(text)
    spans = statement_spans(text)
    statements = tuple(
        Statement(
            index=i,
            sid=raw.sid,
            effect=Effect.ALLOW if raw.effect == "Allow" else Effect.DENY,
            actions=raw.actions,
            not_actions=raw.not_actions,
            resources=raw.resources,
            not_resources=raw.not_resources,
            principal=raw.principal,
            not_principal=raw.not_principal,
            conditions=raw.conditions,
            start=index.position(spans[i][0]) if i < len(spans) else Position(1, 1),
            end=index.position(spans[i][1]) if i < len(spans) else Position(1, 1),
        )
        for i, raw in enumerate(raws)
    )
    return PolicyDocument(
        kind=kind,
        version=cast(str | None, version),
        id=cast(str | None, policy_id),
        statements=statements,
        text=text,
    )
