"""The policy corpus (tests/policy/cases) through the API over HTTP: decisions through
SimulateCustomPolicy, validation through CreatePolicy and PutUserPolicy (issue 3, "Done when").

Only cases the simulator can express run here: an IAM user or role session as the caller, no
session policies (the corpus marks the others ``simulator: false``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "policy"))

from policy_corpus import EvalCase, ValidationCase, load

from iamd_testkit import Account, AccountMaker, aws_error

EVALS, VALIDATIONS = load()


def _expressible(case: EvalCase) -> bool:
    """What SimulateCustomPolicy can ask: an IAM user or role session calling, no trust policy
    (the simulator has no AssumeRole semantics), context keys the model accepts (5+ chars)."""
    return (
        case.simulator
        and case.principal["type"] in ("user", "assumed-role")
        and case.resource_policy_type != "trust"
        and all(len(k) >= 5 for k in (case.request.get("context") or {}))
    )


SIMULATED = [c for c in EVALS if _expressible(c)]


@pytest.fixture(scope="module")
def corpus_account(make_account: AccountMaker) -> Account:
    return make_account()


def _context_entries(context: dict[str, Any]) -> list[dict[str, Any]]:
    entries = []
    for key, value in context.items():
        many = isinstance(value, list)
        entries.append(
            {
                "ContextKeyName": key,
                "ContextKeyValues": [str(v) for v in value] if many else [str(value)],
                "ContextKeyType": "stringList" if many else "string",
            }
        )
    return entries


@pytest.mark.parametrize("case", SIMULATED, ids=[c.id for c in SIMULATED])
def test_decision_through_simulate_custom_policy(corpus_account: Account, case: EvalCase) -> None:
    request = case.request
    args: dict[str, Any] = {
        "PolicyInputList": case.identity,
        "ActionNames": [request["action"]],
        "CallerArn": case.principal["arn"],
        "ContextEntries": _context_entries(request.get("context") or {}),
    }
    if request.get("resource", "*") != "*":
        args["ResourceArns"] = [request["resource"]]
    if case.boundary is not None:
        args["PermissionsBoundaryPolicyInputList"] = case.boundary
    if case.resource_policy is not None:
        args["ResourcePolicy"] = case.resource_policy
    owner = case.resource_owner or request.get("resource_account")
    if owner:
        args["ResourceOwner"] = f"arn:aws:iam::{owner}:root" if owner.isdigit() else owner
    if not case.identity:
        args["PolicyInputList"] = []
    result = corpus_account.iam().simulate_custom_policy(**args)["EvaluationResults"][0]
    assert result["EvalDecision"] == case.expect["decision"], case.doc
    if "missing" in case.expect:
        assert sorted(result["MissingContextValues"]) == sorted(case.expect["missing"])


MANAGED_OR_INLINE = [v for v in VALIDATIONS if v.kind in ("identity", "managed")]


@pytest.mark.parametrize("case", MANAGED_OR_INLINE, ids=[c.id for c in MANAGED_OR_INLINE])
def test_validation_through_the_api(corpus_account: Account, case: ValidationCase) -> None:
    iam = corpus_account.iam()
    if case.kind == "managed":
        call, args = iam.create_policy, {"PolicyName": "corpus", "PolicyDocument": case.document}
    else:
        if "corpus" not in [u["UserName"] for u in iam.list_users()["Users"]]:
            iam.create_user(UserName="corpus")
        call, args = (
            iam.put_user_policy,
            {
                "UserName": "corpus",
                "PolicyName": "corpus",
                "PolicyDocument": case.document,
            },
        )
    if case.error is None:
        call(**args)
        if case.kind == "managed":
            arn = f"arn:aws:iam::{corpus_account.id}:policy/corpus"
            iam.delete_policy(PolicyArn=arn)
        return
    error = aws_error(call, **args)
    assert (error.code, error.message) == ("MalformedPolicyDocument", case.error), case.doc
