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
    caller receives; ``reason`` names an entry of :data:`REASONS` (shared by the operations of
    one feature); ``detail`` adds what is particular to this operation. ``handler`` is False
    when the operation is deliberately left without a handler (it then answers as AWS answers
    an unknown action, ``InvalidAction``)."""

    answer: str
    reason: str
    detail: str = ""
    handler: bool = True


REASONS: dict[str, str] = {
    "Organizations": (
        "iamd has no AWS Organizations: no account of the server belongs to an organization, "
        "so the answers are AWS's for an account in no organization "
        "(OrganizationNotFoundException's message is the model's documentation of it)."
    ),
    "Temporary delegation": (
        "IAM temporary delegation requests are created only by AWS Partners onboarded by AWS, "
        "name AWS-owned policy templates and deliver their exchange token over Amazon SNS. iamd "
        "has none of these, so no delegation request can exist: the answers are AWS's for an "
        "account that has received none."
    ),
    "Outbound identity federation": (
        "Outbound identity federation lets principals get JWTs from STS GetWebIdentityToken, "
        "verifiable at an issuer URL serving OIDC discovery and JWKS. iamd issues no such "
        "tokens and serves no such issuer, so the feature is disabled in every account: the "
        "answers are AWS's for an account where it is disabled."
    ),
    "Role templates": (
        "Role templates are published by AWS services (ManagedByType Service); iamd has no such "
        "services, so no template exists."
    ),
    "Scoped credentials": (
        "STS GetScopedCredentials stacks up to three scope-down policy layers on a session, "
        "which iamd's session token cannot carry yet (docs/sts.md)."
    ),
    "Account properties": (
        "Account properties configure account-wide IAM features such as Role Manager, which "
        "iamd does not have: no property is set, and none is stored without effect."
    ),
}

_ORG = "Organizations"
_DELEGATION = "Temporary delegation"
_OUTBOUND = "Outbound identity federation"
_TEMPLATES = "Role templates"
_PROPERTIES = "Account properties"
_SCOPED = "Scoped credentials"

DECISIONS: dict[tuple[str, str], Decision] = {
    ("iam", "EnableOrganizationsRootCredentialsManagement"): Decision(
        "OrganizationNotFoundException", _ORG
    ),
    ("iam", "DisableOrganizationsRootCredentialsManagement"): Decision(
        "OrganizationNotFoundException", _ORG
    ),
    ("iam", "EnableOrganizationsRootSessions"): Decision("OrganizationNotFoundException", _ORG),
    ("iam", "DisableOrganizationsRootSessions"): Decision("OrganizationNotFoundException", _ORG),
    ("iam", "ListOrganizationsFeatures"): Decision("OrganizationNotFoundException", _ORG),
    ("iam", "GenerateOrganizationsAccessReport"): Decision(
        "OrganizationNotFoundException", _ORG, "The entity path names an organization."
    ),
    ("iam", "GetOrganizationsAccessReport"): Decision(
        "NoSuchEntity", _ORG, "No Organizations access report can have been generated."
    ),
    ("iam", "CreateDelegationRequest"): Decision(
        "InvalidInput, saying that no onboarded partner exists",
        _DELEGATION,
        "AWS's answer to a caller that is not onboarded is not public.",
    ),
    ("iam", "ListDelegationRequests"): Decision("an empty list", _DELEGATION),
    ("iam", "GetDelegationRequest"): Decision("NoSuchEntity", _DELEGATION),
    ("iam", "AcceptDelegationRequest"): Decision("NoSuchEntity", _DELEGATION),
    ("iam", "AssociateDelegationRequest"): Decision("NoSuchEntity", _DELEGATION),
    ("iam", "RejectDelegationRequest"): Decision("NoSuchEntity", _DELEGATION),
    ("iam", "UpdateDelegationRequest"): Decision("NoSuchEntity", _DELEGATION),
    ("iam", "SendDelegationToken"): Decision("NoSuchEntity", _DELEGATION),
    ("iam", "GetHumanReadableSummary"): Decision(
        "NoSuchEntity for a delegation-request ARN, InvalidInput for any other entity",
        _DELEGATION,
        "AWS summarises delegation requests only.",
    ),
    ("iam", "GetOutboundWebIdentityFederationInfo"): Decision("FeatureDisabled", _OUTBOUND),
    ("iam", "DisableOutboundWebIdentityFederation"): Decision("FeatureDisabled", _OUTBOUND),
    ("iam", "EnableOutboundWebIdentityFederation"): Decision(
        "InvalidAction (no handler)",
        _OUTBOUND,
        "Enabling it would hand out an issuer URL that verifies nothing.",
        handler=False,
    ),
    ("iam", "GetRoleTemplateVersion"): Decision("NoSuchEntity", _TEMPLATES),
    ("iam", "AcquireRole"): Decision("NoSuchEntity", _TEMPLATES),
    ("iam", "GetAccountProperties"): Decision("an empty property map", _PROPERTIES),
    ("iam", "PutAccountProperties"): Decision("InvalidInput (unknown property)", _PROPERTIES),
    # STS: the decisions of docs/sts.md.
    ("sts", "AssumeRoot"): Decision(
        "AccessDenied (the root user is refused first, as on AWS)",
        _ORG,
        "No iamd account is a member account of an organization with centralized root access.",
    ),
    ("sts", "GetWebIdentityToken"): Decision(
        "OutboundWebIdentityFederationDisabledException", _OUTBOUND
    ),
    ("sts", "GetDelegatedAccessToken"): Decision(
        "InvalidParameterValue", _DELEGATION, "No trade-in token can be valid."
    ),
    ("sts", "GetScopedCredentials"): Decision("InvalidAction (no handler)", _SCOPED, handler=False),
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
        why = f"see [{decision.reason}](#{_anchor(decision.reason)})"
        if decision.detail:
            why += f". {decision.detail}"
        return f"| {name} | deliberate answer: {decision.answer} | {why} |"
    module = handlers.get(key)
    if module is None:
        return f"| {name} | **missing** | |"
    path = "src/" + module.replace(".", "/") + ".py"
    note = NOTES.get(key)
    return f"| {name} | implemented | `{path}`" + (f". {note} |" if note else " |")


def _anchor(title: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    return title.lower().replace(" ", "-")


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
    lines += ["## Why the deliberate answers", ""]
    for title, text in REASONS.items():
        lines += [f"### {title}", "", text, ""]
    return "\n".join(lines)


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render())
    absent = missing()
    print(f"wrote {OUT.relative_to(ROOT)}; {len(absent)} operations missing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
