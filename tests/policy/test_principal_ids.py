"""A stored trust policy as of now: an ARN replaced by the unique id its entity had, only in
Principal and NotPrincipal; such a policy parses only when iamd says it wrote it, and its ids
match nobody."""

from __future__ import annotations

import json

import pytest

from iamd.policy import (
    PolicyError,
    PolicyKind,
    PolicySet,
    PolicyType,
    Principal,
    PrincipalType,
    Request,
    authorize,
    compile_policy,
    parse_policy,
)
from iamd.policy.principal_ids import is_principal_id, replace_aws_principals

BOB = "arn:aws:iam::111122223333:user/Bob"
OPS = "arn:aws:iam::111122223333:role/Ops"
BOB_ID = "AIDAEXAMPLEEXAMPLE123"
ROLE_ARN = "arn:aws:iam::111122223333:role/Target"


def _trust(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


def _allow(principal: object, **extra: object) -> dict[str, object]:
    return {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", **extra}


def test_unique_id_prefixes() -> None:
    assert is_principal_id(BOB_ID)
    assert is_principal_id("AROAEXAMPLEEXAMPLE123")
    assert not is_principal_id("AGPAEXAMPLEEXAMPLE123")  # a group is no principal
    assert not is_principal_id("AIDA")
    assert not is_principal_id("aidaexampleexample123")


def test_nothing_to_replace_keeps_the_text() -> None:
    text = _trust(_allow({"AWS": BOB}))
    assert replace_aws_principals(text, {}) is text
    assert replace_aws_principals(text, {OPS: "AROAX"}) is text


def test_a_single_value_is_replaced() -> None:
    text = _trust(_allow({"AWS": BOB}))
    assert json.loads(replace_aws_principals(text, {BOB: BOB_ID})) == json.loads(
        _trust(_allow({"AWS": BOB_ID}))
    )


def test_values_of_a_list_and_of_not_principal_are_replaced() -> None:
    text = _trust(
        _allow({"AWS": [OPS, BOB], "Service": BOB}),
        {"Effect": "Deny", "NotPrincipal": {"AWS": BOB}, "Action": "sts:AssumeRole"},
    )
    out = json.loads(replace_aws_principals(text, {BOB: BOB_ID}))
    assert out["Statement"][0]["Principal"] == {"AWS": [OPS, BOB_ID], "Service": BOB}
    assert out["Statement"][1]["NotPrincipal"] == {"AWS": BOB_ID}


def test_conditions_and_other_elements_keep_the_arn() -> None:
    condition = {"StringEquals": {"aws:PrincipalArn": BOB}}
    text = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": _allow({"AWS": BOB}, Sid="x", Condition=condition),
        }
    )
    out = json.loads(replace_aws_principals(text, {BOB: BOB_ID}))
    assert out["Statement"] == _allow({"AWS": BOB_ID}, Sid="x", Condition=condition)


def test_the_rewritten_text_is_compact_and_keeps_non_ascii() -> None:
    text = _trust(_allow({"AWS": BOB}, Sid="ÜberTrust"), _allow("*"))
    out = replace_aws_principals(text, {BOB: BOB_ID})
    assert out == (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":'
        f'"{BOB_ID}"}},"Action":"sts:AssumeRole","Sid":"ÜberTrust"}},{{"Effect":"Allow",'
        '"Principal":"*","Action":"sts:AssumeRole"}]}'
    )


def test_a_unique_id_principal_is_refused_in_a_policy_as_written() -> None:
    with pytest.raises(PolicyError) as raised:
        parse_policy(_trust(_allow({"AWS": BOB_ID})), PolicyKind.TRUST)
    assert str(raised.value) == f'Invalid principal in policy: "AWS":"{BOB_ID}"'


def test_a_unique_id_principal_is_accepted_in_a_stored_policy() -> None:
    document = parse_policy(_trust(_allow({"AWS": BOB_ID})), PolicyKind.TRUST, unique_ids=True)
    principal = document.statements[0].principal
    assert principal is not None and principal.aws == (BOB_ID,)


def test_other_bad_principals_are_still_refused_in_a_stored_policy() -> None:
    with pytest.raises(PolicyError):
        parse_policy(_trust(_allow({"AWS": "Bob"})), PolicyKind.TRUST, unique_ids=True)


def _decide(text: str, who: Principal) -> bool:
    document = parse_policy(text, PolicyKind.TRUST, unique_ids=True)
    trust = compile_policy(document, "t", PolicyType.TRUST)
    policies = PolicySet(resource=trust, resource_owner="111122223333")
    request = Request(who, "sts:AssumeRole", ROLE_ARN, "111122223333", {})
    return authorize(request, policies).allowed


def test_a_unique_id_matches_nobody() -> None:
    bob = Principal(PrincipalType.USER, BOB, "111122223333")
    assert _decide(_trust(_allow({"AWS": BOB})), bob)
    assert not _decide(replace_aws_principals(_trust(_allow({"AWS": BOB})), {BOB: BOB_ID}), bob)
