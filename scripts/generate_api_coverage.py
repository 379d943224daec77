"""Generate ``docs/api-coverage.md``: every operation of the installed botocore IAM and STS models,
and what iamd does with it.

An operation is either *implemented* (a handler is registered: ``iamd.services.operations()``)
or has a *deliberate answer* recorded in :data:`DECISIONS` below, with the reason. A few
implemented operations carry a note on what iamd does differently from AWS (:data:`NOTES`).
``tests/test_api_coverage.py`` fails for any operation with neither, for decisions about
operations that are not in the model, and when the committed document differs from what this
script writes. Re-run after adding an operation or a decision:

    .venv/bin/python scripts/generate_api_coverage.py
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import botocore
import botocore.session

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "api-coverage.md"
SERVICES = ("iam", "sts")


@dataclass(frozen=True)
class Decision:
    """What iamd answers instead of implementing the operation, and why. ``answer`` is what the
    caller receives; ``handler`` is False when the operation is deliberately left without a
    handler (it then answers as AWS answers an unknown action, ``InvalidAction``)."""

    answer: str
    why: str
    handler: bool = True


_NO_ORGANIZATIONS = (
    "iamd has no AWS Organizations: no account of the server belongs to an organization, so the "
    "answer is AWS's for an account in no organization."
)
_NO_DELEGATION = (
    "IAM temporary delegation requests are created only by AWS Partners onboarded by AWS, name "
    "AWS-owned policy templates and deliver their token over Amazon SNS; iamd has none of "
    "these, so no delegation request can exist and the answer is AWS's for an account that has "
    "received none."
)
_NO_TEMPLATES = (
    "Role templates are published by AWS services (ManagedByType Service); iamd has none, so no "
    "template exists."
)
_NO_OUTBOUND = (
    "Outbound identity federation needs STS GetWebIdentityToken and an issuer URL serving OIDC "
    "discovery and JWKS; iamd has neither, so the feature is disabled in every account and the "
    "answer is AWS's for an account where it is disabled."
)

DECISIONS: dict[tuple[str, str], Decision] = {
    ("iam", "EnableOrganizationsRootCredentialsManagement"): Decision(
        "OrganizationNotFoundException", _NO_ORGANIZATIONS
    ),
    ("iam", "DisableOrganizationsRootCredentialsManagement"): Decision(
        "OrganizationNotFoundException", _NO_ORGANIZATIONS
    ),
    ("iam", "EnableOrganizationsRootSessions"): Decision(
        "OrganizationNotFoundException", _NO_ORGANIZATIONS
    ),
    ("iam", "DisableOrganizationsRootSessions"): Decision(
        "OrganizationNotFoundException", _NO_ORGANIZATIONS
    ),
    ("iam", "ListOrganizationsFeatures"): Decision(
        "OrganizationNotFoundException", _NO_ORGANIZATIONS
    ),
    ("iam", "GenerateOrganizationsAccessReport"): Decision(
        "OrganizationNotFoundException",
        _NO_ORGANIZATIONS + " The entity path names an organization that cannot exist.",
    ),
    ("iam", "GetOrganizationsAccessReport"): Decision(
        "NoSuchEntity",
        "No Organizations access report can have been generated (see "
        "GenerateOrganizationsAccessReport), so no job id is known.",
    ),
    ("iam", "CreateDelegationRequest"): Decision(
        "InvalidInput, saying that no onboarded partner exists",
        _NO_DELEGATION + " AWS's answer to a caller that is not onboarded is not public.",
    ),
    ("iam", "ListDelegationRequests"): Decision("an empty list", _NO_DELEGATION),
    ("iam", "GetDelegationRequest"): Decision("NoSuchEntity", _NO_DELEGATION),
    ("iam", "AcceptDelegationRequest"): Decision("NoSuchEntity", _NO_DELEGATION),
    ("iam", "AssociateDelegationRequest"): Decision("NoSuchEntity", _NO_DELEGATION),
    ("iam", "RejectDelegationRequest"): Decision("NoSuchEntity", _NO_DELEGATION),
    ("iam", "UpdateDelegationRequest"): Decision("NoSuchEntity", _NO_DELEGATION),
    ("iam", "SendDelegationToken"): Decision("NoSuchEntity", _NO_DELEGATION),
    ("iam", "GetHumanReadableSummary"): Decision(
        "NoSuchEntity for a delegation-request ARN, InvalidInput for any other entity",
        "AWS summarises delegation requests only (with a large language model); none can "
        "exist in iamd (see CreateDelegationRequest).",
    ),
    ("iam", "GetOutboundWebIdentityFederationInfo"): Decision("FeatureDisabled", _NO_OUTBOUND),
    ("iam", "DisableOutboundWebIdentityFederation"): Decision("FeatureDisabled", _NO_OUTBOUND),
    ("iam", "EnableOutboundWebIdentityFederation"): Decision(
        "InvalidAction (no handler)",
        _NO_OUTBOUND + " Enabling it would hand out an issuer URL that verifies nothing.",
        handler=False,
    ),
    ("iam", "GetRoleTemplateVersion"): Decision("NoSuchEntity", _NO_TEMPLATES),
    ("iam", "AcquireRole"): Decision("NoSuchEntity", _NO_TEMPLATES),
    ("iam", "GetAccountProperties"): Decision(
        "an empty property map",
        "Account properties configure account-wide features such as Role Manager, which iamd "
        "does not have: no property is set.",
    ),
    ("iam", "PutAccountProperties"): Decision(
        "InvalidInput (unknown property)",
        "iamd knows no account property (it has none of the features they configure); a "
        "property is refused rather than stored without effect.",
    ),
}

NOTES: dict[tuple[str, str], str] = {
    ("iam", "CreateOpenIDConnectProvider"): (
        "Without ThumbprintList no thumbprint is fetched (no network call); trusted identity "
        "propagation (ContextProvider, IdentityCenterInstanceArn) is refused: no IAM Identity "
        "Center."
    ),
    ("iam", "UpdateOpenIDConnectProvider"): (
        "Setting trusted identity propagation is refused (no IAM Identity Center); the Remove "
        "flags leave the provider as it is."
    ),
    ("iam", "CreateSAMLProvider"): (
        "Trusted identity propagation (ContextProvider, IdentityCenterInstanceArn) is refused: "
        "no IAM Identity Center."
    ),
    ("iam", "UpdateSAMLProvider"): (
        "Trusted identity propagation is refused (no IAM Identity Center); the Remove flags "
        "leave the provider as it is."
    ),
    ("iam", "GetCredentialReport"): (
        "The report is built by GenerateCredentialReport, so ReportInProgress is never answered."
    ),
    ("iam", "SetSecurityTokenServicePreferences"): (
        "Kept and reported by GetAccountSummary; iamd's session tokens are valid in every Region "
        "whichever version is chosen."
    ),
}


def _models() -> dict[str, list[str]]:
    session = botocore.session.get_session()
    return {s: sorted(session.get_service_model(s).operation_names) for s in SERVICES}


def _handlers() -> dict[tuple[str, str], str]:
    """(service, operation) -> the module of its handler."""
    from iamd.services import operations

    return {key: op.handler.__module__ for key, op in operations().items()}


def missing() -> list[tuple[str, str]]:
    """Model operations with neither a handler nor a decision."""
    handlers = _handlers()
    return [
        (service, name)
        for service, names in _models().items()
        for name in names
        if (service, name) not in handlers and (service, name) not in DECISIONS
    ]


def _row(service: str, name: str, handlers: dict[tuple[str, str], str]) -> str:
    key = (service, name)
    decision = DECISIONS.get(key)
    if decision is not None:
        return f"| {name} | deliberate answer: {decision.answer} | {decision.why} |"
    module = handlers.get(key)
    if module is None:
        return f"| {name} | **missing** | |"
    path = "src/" + module.replace(".", "/") + ".py"
    note = NOTES.get(key)
    return f"| {name} | implemented | `{path}`" + (f". {note} |" if note else " |")


def render() -> str:
    """The document, from the installed models and the registered operations."""
    models = _models()
    handlers = _handlers()
    lines = [
        "# API coverage",
        "",
        "Generated by `scripts/generate_api_coverage.py` from the IAM and STS models of "
        f"botocore {botocore.__version__} — do not edit by hand; re-run the script.",
        "",
        "Every operation is *implemented* (a handler with AWS's behaviour, in the module named) "
        "or has a *deliberate answer*: what iamd answers instead, and why. iamd never answers "
        "a fake success; an operation without a handler answers as AWS answers an unknown "
        "action (`InvalidAction`).",
        "",
    ]
    for service, names in models.items():
        decided = sum(1 for n in names if (service, n) in DECISIONS)
        implemented = sum(
            1 for n in names if (service, n) in handlers and (service, n) not in DECISIONS
        )
        absent = len(names) - decided - implemented
        lines += [
            f"## {service.upper()}",
            "",
            f"{len(names)} operations: {implemented} implemented, {decided} deliberate answers, "
            f"{absent} missing.",
            "",
            "| Operation | Status | Where / why |",
            "|---|---|---|",
        ]
        lines += [_row(service, name, handlers) for name in names]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render())
    absent = missing()
    print(f"wrote {OUT.relative_to(ROOT)}; {len(absent)} operations missing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
