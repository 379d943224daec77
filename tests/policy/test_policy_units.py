"""Small behaviours of the engine's parts that the corpus does not reach."""

from __future__ import annotations

import pytest

from iamd.policy import (
    INLINE_USER_AGGREGATE,
    MANAGED_POLICY_SIZE,
    CompiledPolicy,
    Decision,
    EvalDecision,
    PolicyKind,
    PolicySet,
    PolicyType,
    Principal,
    PrincipalType,
    Request,
    authorize,
    compile_policy,
    compile_wildcard,
    make_context,
    parse_policy,
    policy_size,
)
from iamd.policy.conditions import compile_condition, parse_date
from iamd.policy.resources import compile_resource, split_arn
from iamd.policy.variables import parse_template
from iamd.policy.wildcard import QMARK, STAR

ALICE = Principal(PrincipalType.USER, "arn:aws:iam::111122223333:user/Alice", "111122223333")


def _policy(text: str) -> CompiledPolicy:
    return compile_policy(parse_policy(text, PolicyKind.IDENTITY), "p", PolicyType.USER_INLINE)


def test_policy_size_ignores_white_space() -> None:
    assert policy_size('{ "a" :\n\t"b c" }') == 10
    assert (MANAGED_POLICY_SIZE, INLINE_USER_AGGREGATE) == (6144, 2048)


def test_principal_is_session() -> None:
    session = Principal(PrincipalType.ASSUMED_ROLE, "arn:aws:sts::1:assumed-role/R/s", "1")
    assert session.is_session and not ALICE.is_session


def test_decision_allowed_property() -> None:
    assert Decision(EvalDecision.ALLOWED).allowed
    assert not Decision(EvalDecision.IMPLICIT_DENY).allowed


def test_wildcard_tokens_and_kinds() -> None:
    assert repr(STAR) == "STAR" and repr(QMARK) == "QMARK"
    assert compile_wildcard("**").is_any
    assert compile_wildcard("a?c").matches("abc") and not compile_wildcard("a?c").matches("ab")
    assert compile_wildcard("*a?c*").matches("xxabcxx")
    assert not compile_wildcard("*a?c*").matches("xxabxx")
    assert compile_wildcard("a*?c").matches("abbc")
    assert not compile_wildcard("a*b?").matches("ab")
    assert compile_wildcard("*x**y*").matches("axbyc")


def test_split_arn() -> None:
    assert split_arn("arn:aws:s3:::b/k") == ("arn", "aws", "s3", "", "", "b/k")
    assert split_arn("arn:aws:s3") is None
    assert split_arn("*") is None


def test_resource_pattern_that_is_not_an_arn() -> None:
    literal = compile_resource("bucket/${aws:username}", variables=True)
    ctx = make_context({"aws:username": "a"})
    assert literal.matches("bucket/a", None, ctx)
    assert not literal.matches("bucket/a", None, make_context({}))
    assert literal.could_match("anything", None)


def test_resource_could_match() -> None:
    pattern = compile_resource("arn:aws:s3:::bucket/home/${aws:username}/*", variables=True)
    assert pattern.could_match(
        "arn:aws:s3:::bucket/home/x/y", split_arn("arn:aws:s3:::bucket/home/x/y")
    )
    assert not pattern.could_match("arn:aws:s3:::other/x", split_arn("arn:aws:s3:::other/x"))
    assert not pattern.could_match(
        "arn:aws:sqs:::bucket/home/x", split_arn("arn:aws:sqs:::bucket/home/x")
    )
    assert not pattern.could_match("*", None)
    wild = compile_resource("arn:aws:s3:*:${aws:PrincipalAccount}:b", variables=True)
    assert not wild.could_match("arn:aws:s3:r:1:c", split_arn("arn:aws:s3:r:1:c"))
    region = compile_resource("arn:aws:sns:us-*:1:t", variables=True)
    assert not region.could_match(
        "arn:aws:sns:eu-west-1:1:t", split_arn("arn:aws:sns:eu-west-1:1:t")
    )
    assert compile_resource("*", variables=True).could_match("*", None)
    mixed = compile_resource("arn:aws:sns:us-*:1:${x}", variables=True)
    assert mixed.could_match("arn:aws:sns:us-east-1:1:t", split_arn("arn:aws:sns:us-east-1:1:t"))


def test_two_dynamic_fields() -> None:
    pattern = compile_resource("arn:aws:sns:${r}:${a}:t", variables=True)
    fields = split_arn("arn:aws:sns:eu-west-1:1:t")
    assert pattern.could_match("arn:aws:sns:eu-west-1:1:t", fields)
    assert pattern.matches(
        "arn:aws:sns:eu-west-1:1:t", fields, make_context({"r": "eu-west-1", "a": "1"})
    )


def test_not_resource_that_cannot_match_this_resource() -> None:
    policy = _policy(
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*",'
        '"NotResource":"arn:aws:sqs:*:*:${aws:username}"}}'
    )
    request = Request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")
    assert authorize(request, PolicySet(identity=(policy,))).allowed


def test_short_arn_without_wildcard_only_matches_itself() -> None:
    pattern = compile_resource("arn:aws:fdsasf", variables=False)
    assert pattern.matches("arn:aws:fdsasf", None, make_context({}))


def test_template_literal_ends() -> None:
    assert parse_template("home/${aws:username}/x*y", True).literal_ends() == ("home/", "y")
    assert parse_template("${*}a?b${$}", True).literal_ends() == ("*a", "b$")
    assert parse_template("${aws:username}", True).literal_ends() == ("", "")
    assert parse_template("a${*}b", True).literal_ends() == ("a*b", "a*b")


def test_template_text_and_malformed_variables() -> None:
    template = parse_template("a${aws:username}b${*}", True)
    assert template.text(("X",)) == "aXb*"
    assert parse_template("${}", True).is_static
    assert parse_template("${aws:username, unquoted}", True).is_static
    assert parse_template("", True).parts == ()


def test_template_pattern_cache_is_bounded() -> None:
    template = parse_template("${k}*", True)
    for n in range(300):
        assert template.pattern_for(make_context({"k": str(n)})) is not None


def test_dates() -> None:
    assert parse_date("1970-01-02") == 86400.0
    assert parse_date("1970-01-01T01:00:00+01:00") == 0.0
    assert parse_date("99999999999999999999") is None


def test_unknown_operator_cannot_be_compiled() -> None:
    with pytest.raises(ValueError, match="unknown condition operator"):
        compile_condition("StringSoundsLike", "k", ("v",), True)


def test_condition_parse_cache_is_bounded() -> None:
    condition = compile_condition("NumericLessThan", "n", ("1000",), True)
    for n in range(300):
        assert condition.holds(make_context({"n": str(n)}))


def test_ignore_case_with_several_templates() -> None:
    condition = compile_condition(
        "StringEqualsIgnoreCase", "k", ("${aws:username}", "x-${a}"), True
    )
    assert condition.holds(make_context({"k": "X-B", "a": "b"}))
    assert not condition.holds(make_context({"k": "X-B"}))


def test_single_variable_default() -> None:
    condition = compile_condition("StringEquals", "k", ("${aws:username, 'anon'}",), True)
    assert condition.holds(make_context({"k": "anon"}))
    assert not condition.holds(make_context({"k": "other"}))


def test_invalid_policy_ip_value_is_ignored() -> None:
    condition = compile_condition("IpAddress", "ip", ("not-a-cidr", "10.0.0.0/8"), True)
    assert condition.holds(make_context({"ip": "10.0.0.1"}))


def test_memo_tables_are_bounded() -> None:
    policy = _policy(
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'
    )
    policies = PolicySet(identity=(policy,))
    for n in range(4200):
        request = Request(ALICE, f"svc:Action{n}", f"arn:aws:svc:::r{n}")
        assert authorize(request, policies).allowed


def test_identity_document_used_as_resource_policy_grants_nobody() -> None:
    resource = _policy(
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'
    )
    policies = PolicySet(resource=resource)
    assert authorize(Request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k"), policies).decision is (
        EvalDecision.IMPLICIT_DENY
    )


def test_later_identity_policies_are_still_searched_for_denies() -> None:
    allow = _policy(
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'
    )
    deny = _policy(
        '{"Version":"2012-10-17","Statement":{"Sid":"D","Effect":"Deny","Action":"s3:*","Resource":"*"}}'
    )
    request = Request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")
    assert (
        authorize(request, PolicySet(identity=(allow, deny))).decision is EvalDecision.EXPLICIT_DENY
    )
    boundary = PolicySet(identity=(allow,), boundary=(allow, deny))
    assert authorize(request, boundary).decision is EvalDecision.EXPLICIT_DENY


def test_first_allow_is_enough_without_explain() -> None:
    both = _policy(
        '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},'
        '{"Sid":"B","Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
    )
    request = Request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")
    assert [m.sid for m in authorize(request, PolicySet(identity=(both,))).matched] == ["A"]
    explained = authorize(request, PolicySet(identity=(both,)), explain=True)
    assert [m.sid for m in explained.matched] == ["A", "B"]


def _resource(text: str) -> CompiledPolicy:
    return compile_policy(parse_policy(text, PolicyKind.RESOURCE), "r", PolicyType.RESOURCE)


def test_account_principal_forms() -> None:
    policy = _resource(
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws-cn:iam::111122223333:root"},'
        '"Action":"s3:*","Resource":"*"}}'
    )
    root = Principal(PrincipalType.ROOT, "arn:aws:iam::111122223333:root", "111122223333")
    request = Request(root, "s3:GetObject", "arn:aws:s3:::b/k", "444455556666")
    assert authorize(request, PolicySet(resource=policy)).allowed
    user = Request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", "444455556666")
    assert not authorize(user, PolicySet(resource=policy)).allowed


def test_not_principal_wildcards() -> None:
    everyone = _resource(
        '{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":"*","Action":"s3:*","Resource":"*"}}'
    )
    listed_star = _resource(
        '{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}}'
    )
    service = _resource(
        '{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"Service":"ec2.amazonaws.com"},'
        '"Action":"s3:*","Resource":"*"}}'
    )
    request = Request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")
    for policy in (everyone, listed_star):
        assert authorize(request, PolicySet(resource=policy)).decision is EvalDecision.IMPLICIT_DENY
    ec2 = Principal(PrincipalType.SERVICE, "ec2.amazonaws.com", None, service="ec2.amazonaws.com")
    assert authorize(Request(ec2, "s3:GetObject", "*"), PolicySet(resource=service)).decision is (
        EvalDecision.IMPLICIT_DENY
    )
    assert authorize(request, PolicySet(resource=service)).decision is EvalDecision.EXPLICIT_DENY


def test_resource_policy_with_boundary_and_session_denies_in_explain_mode() -> None:
    allow = _policy(
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'
    )
    deny = _policy(
        '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}'
    )
    request = Request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")
    decision = authorize(request, PolicySet(identity=(allow,), session=(allow, deny)), explain=True)
    assert decision.decision is EvalDecision.EXPLICIT_DENY
