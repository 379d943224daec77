"""Whether a caller may do what it asks: the policy engine's answer, as AWS words a denial.

Until the policy engine lands (issue 3), a root user may do everything in its own account and
every other principal is refused every action ("no allow without an engine").
"""

from __future__ import annotations

from iamd.services import AuthzCheck, Call

__all__ = ["Authorizer", "RootOnlyAuthorizer"]


class Authorizer:
    def denial(self, call: Call, check: AuthzCheck) -> str | None:
        """None when allowed; else the AccessDenied message AWS would send."""
        raise NotImplementedError


class RootOnlyAuthorizer(Authorizer):
    def denial(self, call: Call, check: AuthzCheck) -> str | None:
        if call.caller.is_root:
            return None
        return (
            f"User: {call.caller.arn} is not authorized to perform: {check.action} on resource: "
            f"{check.resource} because no identity-based policy allows the {check.action} action"
        )
