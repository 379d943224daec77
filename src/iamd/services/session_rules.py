"""What an STS session adds to authorization: the request-context keys only temporary
credentials carry, and the STS actions some kinds of session may not call whatever their
policies say ("Comparing the AWS STS API operations", id_credentials_temp_request#stsapi_comparison;
"AWS global condition context keys", reference_policies_condition-keys).
"""

from __future__ import annotations

from typing import Any

from iamd.domain.principals import Principal, SessionInfo
from iamd.services.registry import AuthzCheck

__all__ = ["session_context", "session_refuses"]

# The STS API Reference: the STS operations a federated user's or a GetSessionToken session's
# credentials may call, whatever their policies say.
_STS_ALLOWED = {
    "federated-user": frozenset(
        {"sts:getcalleridentity", "sts:getscopedcredentials", "sts:getdelegatedaccesstoken"}
    ),
    "user-session": frozenset(
        {
            "sts:assumerole",
            "sts:getcalleridentity",
            "sts:getscopedcredentials",
            "sts:getwebidentitytoken",
            "sts:getdelegatedaccesstoken",
        }
    ),
}
_STS_ALLOWED["root-session"] = _STS_ALLOWED["user-session"]


def session_refuses(caller: Principal, check: AuthzCheck) -> bool:
    """Whether ``caller``'s kind of session may not call this STS action at all, whatever its
    policies say (the denial then reads "because no session policy allows", inferred)."""
    session = caller.sts
    action = check.action.lower()
    if session is None or not action.startswith("sts:"):
        return False
    allowed = _STS_ALLOWED.get(session.kind)
    return allowed is not None and action not in allowed


def _iso(when: Any) -> str:
    return str(when.strftime("%Y-%m-%dT%H:%M:%SZ"))


def session_context(session: SessionInfo, now: Any) -> dict[str, tuple[str, ...]]:
    """The keys only requests signed with temporary credentials carry
    (reference_policies_condition-keys: aws:TokenIssueTime, aws:MultiFactorAuthPresent — "set
    to a value of false" for temporary credentials without MFA — aws:MultiFactorAuthAge only
    with MFA, aws:SourceIdentity once set, aws:FederatedProvider for federated sessions)."""
    context: dict[str, tuple[str, ...]] = {
        "aws:tokenissuetime": (_iso(session.issued_at),),
        "aws:multifactorauthpresent": ("true" if session.mfa_authenticated else "false",),
    }
    if session.mfa_authenticated:
        at = session.mfa_authenticated_at or session.issued_at
        context["aws:multifactorauthage"] = (str(max(0, int((now - at).total_seconds()))),)
    if session.source_identity is not None:
        context["aws:sourceidentity"] = (session.source_identity,)
    if session.federated_provider is not None:
        context["aws:federatedprovider"] = (session.federated_provider,)
    return context
