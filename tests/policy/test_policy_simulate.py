"""The simulator helpers: context entries, per-pair results, context keys."""

from __future__ import annotations

import pytest

from iamd.policy import (
    ContextEntry,
    EvalDecision,
    PolicyKind,
    PolicySet,
    PolicyType,
    Position,
    Principal,
    PrincipalType,
    compile_policy,
    context_from_entries,
    context_keys,
    parse_policy,
    simulate,
)

ALICE = Principal(PrincipalType.USER, "arn:aws:iam::111122223333:user/Alice", "111122223333")
POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Action": "s3:Get*",
      "Resource": "arn:aws:s3:::b/${aws:username}/*",
      "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    },
    {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}
  ]
}"""


def _identity() -> PolicySet:
    doc = parse_policy(POLICY, PolicyKind.IDENTITY)
    return PolicySet(identity=(compile_policy(doc, "PolicyInputList.1", PolicyType.CUSTOM),))


def test_context_entries_are_keyed_in_lower_case() -> None:
    context = context_from_entries(
        [
            ContextEntry("aws:SourceIp", ("10.1.1.1",), "ip"),
            ContextEntry("aws:TagKeys", ("a", "b"), "stringList"),
        ]
    )
    assert context == {"aws:sourceip": ("10.1.1.1",), "aws:tagkeys": ("a", "b")}


def test_unknown_context_key_type_is_refused() -> None:
    with pytest.raises(ValueError, match="ContextKeyType"):
        context_from_entries([ContextEntry("k", ("v",), "colour")])


def test_each_action_on_each_resource() -> None:
    context = context_from_entries(
        [
            ContextEntry("aws:username", ("Alice",)),
            ContextEntry("aws:SourceIp", ("10.2.3.4",), "ip"),
        ]
    )
    results = simulate(
        ALICE,
        ["s3:GetObject", "s3:DeleteObject"],
        ["arn:aws:s3:::b/Alice/x", "arn:aws:s3:::b/Bob/x"],
        _identity(),
        context,
    )
    decisions = [(r.action, r.resource, r.decision) for r in results]
    assert decisions == [
        ("s3:GetObject", "arn:aws:s3:::b/Alice/x", EvalDecision.ALLOWED),
        ("s3:GetObject", "arn:aws:s3:::b/Bob/x", EvalDecision.IMPLICIT_DENY),
        ("s3:DeleteObject", "arn:aws:s3:::b/Alice/x", EvalDecision.EXPLICIT_DENY),
        ("s3:DeleteObject", "arn:aws:s3:::b/Bob/x", EvalDecision.EXPLICIT_DENY),
    ]
    first = results[0]
    assert [m.sid for m in first.matched] == ["Read"]
    assert first.matched[0].source_type == "none"
    assert first.matched[0].start == Position(4, 5)
    assert first.matched[0].end == Position(10, 5)
    assert first.resource_results[0].resource == "arn:aws:s3:::b/Alice/x"
    assert first.decision_details == ()


def test_no_resources_means_star_and_missing_keys_are_reported() -> None:
    (result,) = simulate(ALICE, ["s3:GetObject"], [], _identity(), context_from_entries([]))
    assert result.resource == "*"
    assert result.decision is EvalDecision.IMPLICIT_DENY


def test_missing_context_values() -> None:
    context = context_from_entries([ContextEntry("aws:username", ("Alice",))])
    (result,) = simulate(ALICE, ["s3:GetObject"], ["arn:aws:s3:::b/Alice/x"], _identity(), context)
    assert result.missing_context_keys == ("aws:SourceIp",)


def test_boundary_detail() -> None:
    boundary = compile_policy(
        parse_policy(
            '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}',
            PolicyKind.MANAGED,
        ),
        "arn:aws:iam::111122223333:policy/B",
        PolicyType.PERMISSIONS_BOUNDARY,
    )
    allow_all = compile_policy(
        parse_policy(
            '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}',
            PolicyKind.MANAGED,
        ),
        "arn:aws:iam::aws:policy/AdministratorAccess",
        PolicyType.USER_MANAGED,
        aws_managed=True,
    )
    policies = PolicySet(identity=(allow_all,), boundary=(boundary,))
    s3, ec2 = simulate(
        ALICE, ["s3:ListBucket", "ec2:RunInstances"], ["*"], policies, context_from_entries([])
    )
    assert (s3.decision, s3.allowed_by_boundary) == (EvalDecision.IMPLICIT_DENY, False)
    assert (ec2.decision, ec2.allowed_by_boundary) == (EvalDecision.ALLOWED, True)
    assert ec2.matched[0].source_type == "aws-managed"


def _resource_policy(text: str) -> PolicySet:
    doc = parse_policy(text, PolicyKind.RESOURCE)
    identity = compile_policy(
        parse_policy(
            '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}',
            PolicyKind.IDENTITY,
        ),
        "id",
        PolicyType.USER_INLINE,
    )
    return PolicySet(
        identity=(identity,),
        resource=compile_policy(doc, "ResourcePolicy", PolicyType.RESOURCE),
        resource_owner="444455556666",
    )


def test_decision_details_cross_account_allowed() -> None:
    policies = _resource_policy(
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}}'
    )
    (result,) = simulate(
        ALICE, ["s3:GetObject"], ["arn:aws:s3:::b/k"], policies, context_from_entries([])
    )
    assert result.decision is EvalDecision.ALLOWED
    assert result.decision_details == (
        ("IAM Policy", EvalDecision.ALLOWED),
        ("Resource Policy", EvalDecision.ALLOWED),
    )


def test_decision_details_resource_deny() -> None:
    policies = _resource_policy(
        '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}}'
    )
    (result,) = simulate(
        ALICE, ["s3:GetObject"], ["arn:aws:s3:::b/k"], policies, context_from_entries([])
    )
    assert result.decision_details == (
        ("IAM Policy", EvalDecision.IMPLICIT_DENY),
        ("Resource Policy", EvalDecision.EXPLICIT_DENY),
    )


def test_decision_details_resource_silent() -> None:
    policies = _resource_policy(
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"}}'
    )
    (result,) = simulate(
        ALICE, ["s3:GetObject"], ["arn:aws:s3:::b/k"], policies, context_from_entries([])
    )
    assert result.decision is EvalDecision.IMPLICIT_DENY
    assert result.decision_details == (
        ("IAM Policy", EvalDecision.ALLOWED),
        ("Resource Policy", EvalDecision.IMPLICIT_DENY),
    )


def test_decision_details_identity_deny() -> None:
    deny = compile_policy(
        parse_policy(
            '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}',
            PolicyKind.IDENTITY,
        ),
        "deny",
        PolicyType.USER_INLINE,
    )
    base = _resource_policy(
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}'
    )
    policies = PolicySet(
        identity=(deny,), resource=base.resource, resource_owner=base.resource_owner
    )
    (result,) = simulate(
        ALICE, ["s3:GetObject"], ["arn:aws:s3:::b/k"], policies, context_from_entries([])
    )
    assert result.decision_details[0] == ("IAM Policy", EvalDecision.EXPLICIT_DENY)


def test_context_keys_from_conditions_and_variables() -> None:
    doc = parse_policy(POLICY, PolicyKind.IDENTITY)
    other = parse_policy(
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*",'
        '"Condition":{"StringEquals":{"AWS:SourceIP":"x","s3:prefix":"${aws:PrincipalTag/team}"}}}}',
        PolicyKind.IDENTITY,
    )
    compiled = compile_policy(other, "p", PolicyType.CUSTOM)
    assert context_keys([doc, compiled]) == (
        "aws:principaltag/team",
        "aws:SourceIp",
        "aws:username",
        "s3:prefix",
    )


def test_context_keys_ignore_variables_in_old_language() -> None:
    doc = parse_policy(
        '{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}"}}',
        PolicyKind.IDENTITY,
    )
    assert context_keys([doc]) == ()
