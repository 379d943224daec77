"""AccessDenied messages in AWS's format.

"Troubleshooting access denied error messages" (troubleshoot_access-denied):
``User: <arn> is not authorized to perform: <action> on resource: <resource> <context>`` where
the context is ``with an explicit deny in a[n] <type> policy`` or ``because no <type> policy
allows the <action> action``. A role trust policy's explicit deny reads ``with an explicit
deny in the role trust policy``. The ``on resource:`` part is left out for actions without a
resource (``*``).
"""

from __future__ import annotations

from iamd.policy.engine import Decision, DenyKind, EvalDecision

__all__ = ["access_denied_message"]

_EXPLICIT = {
    DenyKind.IDENTITY: "with an explicit deny in an identity-based policy",
    DenyKind.RESOURCE: "with an explicit deny in a resource-based policy",
    DenyKind.TRUST: "with an explicit deny in the role trust policy",
    DenyKind.BOUNDARY: "with an explicit deny in a permissions boundary",
    DenyKind.SESSION: "with an explicit deny in a session policy",
}


def access_denied_message(
    principal_arn: str, action: str, resource: str, decision: Decision
) -> str:
    """The message of the AccessDenied error for a denied ``decision``."""
    head = f"User: {principal_arn} is not authorized to perform: {action}"
    if resource and resource != "*":
        head += f" on resource: {resource}"
    kind = decision.denied_by or DenyKind.IDENTITY
    if decision.decision is EvalDecision.EXPLICIT_DENY:
        return f"{head} {_EXPLICIT[kind]}"
    return f"{head} because no {kind.value} allows the {action} action"
