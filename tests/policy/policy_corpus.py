"""Load the policy corpus (tests/policy/cases/*.yaml) into plain, fully expanded cases.

The format is documented in tests/policy/cases/README.md. This loader only expands shorthands
(file defaults, ``statement:``, ``condition:``); it knows nothing of the engine, so the same
cases can be run through SimulateCustomPolicy over HTTP.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CASES = Path(__file__).parent / "cases"

DEFAULT_ACCOUNT = "111122223333"
DEFAULT_PRINCIPAL: dict[str, Any] = {
    "type": "user",
    "arn": f"arn:aws:iam::{DEFAULT_ACCOUNT}:user/Alice",
    "account": DEFAULT_ACCOUNT,
}
DEFAULT_REQUEST: dict[str, Any] = {
    "action": "s3:GetObject",
    "resource": "arn:aws:s3:::amzn-s3-demo-bucket/report.txt",
}


@dataclass(frozen=True)
class EvalCase:
    """A decision case: policies, one request, the expected outcome."""

    id: str
    doc: str
    principal: dict[str, Any]
    identity: list[str]
    boundary: list[str] | None
    session: list[str] | None
    resource_policy: str | None
    resource_policy_type: str
    resource_owner: str | None
    request: dict[str, Any]
    expect: dict[str, Any]
    simulator: bool = True


@dataclass(frozen=True)
class ValidationCase:
    """A validation case: a document, its kind, and AWS's error message (None when valid)."""

    id: str
    doc: str
    kind: str
    document: str
    error: str | None
    extra: dict[str, Any] = field(default_factory=dict)


def _text(document: Any) -> str:
    return document if isinstance(document, str) else json.dumps(document, indent=2)


def _merge(defaults: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(defaults)
    for key, value in case.items():
        if key in ("request", "principal") and isinstance(value, dict):
            merged[key] = {**merged.get(key, {}), **value}
        else:
            merged[key] = value
    return merged


def _identity(case: dict[str, Any]) -> list[str]:
    if "condition" in case:
        statement = {
            "Effect": "Allow",
            "Action": case["request"].get("action", DEFAULT_REQUEST["action"]),
            "Resource": "*",
            "Condition": case["condition"],
        }
        return [_text({"Version": "2012-10-17", "Statement": [statement]})]
    if "statement" in case:
        statements = case["statement"]
        if isinstance(statements, dict):
            statements = [statements]
        return [_text({"Version": "2012-10-17", "Statement": statements})]
    return [_text(p) for p in case.get("identity", [])]


def _eval_case(case_id: str, case: dict[str, Any]) -> EvalCase:
    request = {**DEFAULT_REQUEST, **case.get("request", {})}
    case = {**case, "request": request}
    expect = case["expect"]
    if isinstance(expect, str):
        expect = {"decision": expect}
    boundary = case.get("boundary")
    session = case.get("session")
    resource = case.get("resource_policy")
    return EvalCase(
        id=case_id,
        doc=case["doc"],
        principal={**DEFAULT_PRINCIPAL, **case.get("principal", {})},
        identity=_identity(case),
        boundary=None if boundary is None else [_text(p) for p in boundary],
        session=None if session is None else [_text(p) for p in session],
        resource_policy=None if resource is None else _text(resource),
        resource_policy_type=case.get("resource_policy_type", "resource"),
        resource_owner=case.get("resource_owner"),
        request=request,
        expect=expect,
        simulator=case.get("simulator", session is None),
    )


def _files() -> list[Path]:
    return sorted(CASES.glob("*.yaml"))


def load() -> tuple[list[EvalCase], list[ValidationCase]]:
    """All cases of the corpus, expanded."""
    evals: list[EvalCase] = []
    validations: list[ValidationCase] = []
    for path in _files():
        data = yaml.safe_load(path.read_text())
        defaults = data.get("defaults", {})
        for n, raw in enumerate(data["cases"], start=1):
            case = _merge(defaults, raw)
            case_id = f"{path.stem}:{n}:{case['name']}"
            if "error" in case or "valid" in case:
                validations.append(
                    ValidationCase(
                        id=case_id,
                        doc=case["doc"],
                        kind=case.get("kind", "identity"),
                        document=_text(case["document"]),
                        error=case.get("error"),
                    )
                )
            else:
                evals.append(_eval_case(case_id, case))
    return evals, validations
