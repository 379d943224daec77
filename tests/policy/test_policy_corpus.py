"""Run every case of the data corpus (tests/policy/cases) through the engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from policy_corpus import EvalCase, ValidationCase, load

from iamd.policy import (
    CompiledPolicy,
    EvalDecision,
    PolicyError,
    PolicyKind,
    PolicySet,
    PolicyType,
    Principal,
    PrincipalType,
    Request,
    access_denied_message,
    authorize,
    compile_policy,
    make_context,
    parse_policy,
)

EVALS, VALIDATIONS = load()

_TYPES = {
    "root": PrincipalType.ROOT,
    "user": PrincipalType.USER,
    "assumed-role": PrincipalType.ASSUMED_ROLE,
    "federated-user": PrincipalType.FEDERATED_USER,
    "service": PrincipalType.SERVICE,
    "web-identity": PrincipalType.WEB_IDENTITY,
    "saml": PrincipalType.SAML,
    "anonymous": PrincipalType.ANONYMOUS,
}


def _principal(spec: dict[str, Any]) -> Principal:
    return Principal(
        type=_TYPES[spec["type"]],
        arn=spec["arn"],
        account=spec.get("account"),
        entity_arn=spec.get("entity_arn"),
        service=spec.get("service"),
        federated=spec.get("federated"),
        canonical_user=spec.get("canonical_user"),
    )


def _compile(
    texts: list[str], kind: PolicyKind, prefix: str, ptype: PolicyType
) -> tuple[CompiledPolicy, ...]:
    return tuple(
        compile_policy(parse_policy(text, kind), f"{prefix}{n}", ptype)
        for n, text in enumerate(texts, start=1)
    )


def build(case: EvalCase) -> tuple[Request, PolicySet]:
    """The engine's request and policy set for a corpus case."""
    resource = None
    if case.resource_policy is not None:
        trust = case.resource_policy_type == "trust"
        kind = PolicyKind.TRUST if trust else PolicyKind.RESOURCE
        ptype = PolicyType.TRUST if trust else PolicyType.RESOURCE
        resource = compile_policy(parse_policy(case.resource_policy, kind), "resource", ptype)
    policies = PolicySet(
        identity=_compile(case.identity, PolicyKind.IDENTITY, "identity-", PolicyType.USER_INLINE),
        boundary=None
        if case.boundary is None
        else _compile(
            case.boundary, PolicyKind.IDENTITY, "boundary-", PolicyType.PERMISSIONS_BOUNDARY
        ),
        session=None
        if case.session is None
        else _compile(case.session, PolicyKind.SESSION, "session-", PolicyType.SESSION),
        resource=resource,
        resource_owner=case.resource_owner,
    )
    context = {
        k: [str(x) for x in v] if isinstance(v, list) else str(v)
        for k, v in case.request.get("context", {}).items()
    }
    request = Request(
        principal=_principal(case.principal),
        action=case.request["action"],
        resource=case.request["resource"],
        resource_account=case.request.get("resource_account"),
        context=make_context(context),
    )
    return request, policies


@pytest.mark.parametrize("case", EVALS, ids=[c.id for c in EVALS])
def test_decision(case: EvalCase) -> None:
    request, policies = build(case)
    decision = authorize(request, policies, explain=True)
    expect = case.expect
    assert decision.decision is EvalDecision(expect["decision"])
    quick = authorize(request, policies)
    assert (quick.decision, quick.denied_by) == (decision.decision, decision.denied_by)
    if "matched" in expect:
        assert [m.sid for m in decision.matched] == expect["matched"]
    if "missing" in expect:
        assert sorted(decision.missing_context_keys) == sorted(expect["missing"])
    if "denied_by" in expect:
        assert decision.denied_by is not None
        assert decision.denied_by.name.lower() == expect["denied_by"]
    if "message" in expect:
        message = access_denied_message(
            request.principal.arn, request.action, request.resource, decision
        )
        assert message == expect["message"]


@pytest.mark.parametrize("case", VALIDATIONS, ids=[c.id for c in VALIDATIONS])
def test_validation(case: ValidationCase) -> None:
    kind = PolicyKind[case.kind.upper()]
    if case.error is None:
        parse_policy(case.document, kind)
        return
    with pytest.raises(PolicyError) as raised:
        parse_policy(case.document, kind)
    assert raised.value.message == case.error


def test_corpus_is_large_enough() -> None:
    assert len(EVALS) + len(VALIDATIONS) >= 400


def test_every_case_cites_the_guide() -> None:
    cases: list[EvalCase | ValidationCase] = [*EVALS, *VALIDATIONS]
    for case in cases:
        assert case.doc.split("#")[0].endswith(".md") or case.doc.startswith("http"), case.id


GUIDE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "iam-user-guide"


@pytest.mark.skipif(not GUIDE.is_dir(), reason="the IAM User Guide copy is not beside the repo")
def test_cited_sections_exist() -> None:
    cases: list[EvalCase | ValidationCase] = [*EVALS, *VALIDATIONS]
    cited = {case.doc.split("#")[0] for case in cases}
    assert sorted(name for name in cited if not (GUIDE / name).is_file()) == []
