"""Hypothesis properties of the engine (STYLE 32)."""

from __future__ import annotations

import json
import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from iamd.policy import (
    EvalDecision,
    PolicyKind,
    PolicySet,
    PolicyType,
    Principal,
    PrincipalType,
    Request,
    authorize,
    compile_policy,
    make_context,
    parse_policy,
    wildcard_match,
)

ACCOUNT = "111122223333"
PRINCIPAL = Principal(PrincipalType.USER, f"arn:aws:iam::{ACCOUNT}:user/alice", ACCOUNT)
ACTIONS = ["s3:GetObject", "s3:PutObject", "iam:CreateUser", "iam:GetUser", "ec2:RunInstances"]
PATTERNS = [*ACTIONS, "s3:*", "*", "iam:Get*", "s3:?utObject", "*:GetObject", "ec2:*Instances"]
RESOURCES = ["arn:aws:s3:::b/k", "arn:aws:s3:::b/x/y", f"arn:aws:iam::{ACCOUNT}:user/bob", "*"]
RESOURCE_PATTERNS = ["*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/k", f"arn:aws:iam::{ACCOUNT}:user/*"]
CONTEXT = make_context({"aws:username": "alice", "aws:SourceIp": "10.1.2.3"})

conditions = st.sampled_from(
    [
        None,
        {"StringEquals": {"aws:username": "alice"}},
        {"StringEquals": {"aws:username": "bob"}},
        {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
        {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
        {"StringNotLike": {"aws:username": "a*"}},
    ]
)


@st.composite
def statements(draw: st.DrawFn, effect: str | None = None) -> dict[str, object]:
    statement: dict[str, object] = {
        "Effect": effect or draw(st.sampled_from(["Allow", "Deny"])),
        draw(st.sampled_from(["Action", "NotAction"])): draw(
            st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3)
        ),
        draw(st.sampled_from(["Resource", "NotResource"])): draw(
            st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=2)
        ),
    }
    condition = draw(conditions)
    if condition is not None:
        statement["Condition"] = condition
    return statement


requests = st.builds(
    lambda action, resource: Request(PRINCIPAL, action, resource, context=CONTEXT),
    st.sampled_from(ACTIONS),
    st.sampled_from(RESOURCES),
)


def decide(groups: list[list[dict[str, object]]], request: Request) -> EvalDecision:
    compiled = tuple(
        compile_policy(
            parse_policy(
                json.dumps({"Version": "2012-10-17", "Statement": group}), PolicyKind.IDENTITY
            ),
            f"p{n}",
            PolicyType.USER_INLINE,
        )
        for n, group in enumerate(groups)
        if group
    )
    return authorize(request, PolicySet(identity=compiled)).decision


@settings(max_examples=300, deadline=None)
@given(st.lists(statements(), min_size=1, max_size=6), statements(effect="Deny"), requests)
def test_explicit_deny_dominates(
    policy: list[dict[str, object]], deny: dict[str, object], request: Request
) -> None:
    """If a Deny applies on its own, adding any Allows never changes that."""
    alone = decide([[deny]], request)
    if alone is EvalDecision.EXPLICIT_DENY:
        assert decide([[*policy, deny]], request) is EvalDecision.EXPLICIT_DENY
        assert decide([[deny], policy], request) is EvalDecision.EXPLICIT_DENY


@settings(max_examples=300, deadline=None)
@given(st.lists(statements(), min_size=1, max_size=6), st.randoms(), requests)
def test_statement_order_does_not_matter(
    policy: list[dict[str, object]], rng: random.Random, request: Request
) -> None:
    shuffled = list(policy)
    rng.shuffle(shuffled)
    assert decide([policy], request) is decide([shuffled], request)
    assert decide([policy], request) is decide([[s] for s in policy], request)


@settings(max_examples=300, deadline=None)
@given(st.lists(statements(), min_size=1, max_size=6), statements(effect="Allow"), requests)
def test_adding_an_allow_never_removes_an_allow(
    policy: list[dict[str, object]], allow: dict[str, object], request: Request
) -> None:
    if decide([policy], request) is EvalDecision.ALLOWED:
        assert decide([[*policy, allow]], request) is EvalDecision.ALLOWED
        assert decide([policy, [allow]], request) is EvalDecision.ALLOWED


def _reference(pattern: str, text: str) -> bool:
    """A reference matcher built only for this test: a regex from an escaped pattern."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, flags=re.DOTALL) is not None


alphabet = st.sampled_from("ab*?.:/")


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet, max_size=12), st.text(st.sampled_from("ab*?.:/x"), max_size=14))
def test_wildcard_matcher_agrees_with_reference(pattern: str, text: str) -> None:
    assert wildcard_match(pattern, text) is _reference(pattern, text)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("ab*?"), max_size=10))
def test_wildcard_pattern_matches_its_own_literal_text(pattern: str) -> None:
    literal = pattern.replace("*", "").replace("?", "z")
    assert wildcard_match(pattern, literal) is _reference(pattern, literal)
