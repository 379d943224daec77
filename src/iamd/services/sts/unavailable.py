"""The STS operations of features iamd's world does not have, answered as AWS answers an account
where they are off (decisions in docs/sts.md, for docs/api-coverage.md):

- **AssumeRoot** (STS API Reference; "Centrally manage root access for member accounts",
  id_root-user-access-management) issues privileged root sessions in *member accounts of an
  AWS Organizations organization* with centralized root access enabled. iamd has no
  organizations (the IAM organization operations answer OrganizationNotFoundException), so no
  account is a member account: after the caller's policies allow ``sts:AssumeRoot`` on the
  target's root user, the answer is AccessDenied saying why (iamd's wording). The root user
  itself is refused, as on AWS ("You cannot use root user credentials to make this call").
- **GetWebIdentityToken** needs outbound web identity federation, which is disabled in every
  iamd account (see ``services/iam/outbound_federation.py``):
  OutboundWebIdentityFederationDisabledException with the model's message.
- **GetDelegatedAccessToken** exchanges a trade-in token sent by IAM temporary delegation
  (SendDelegationToken); in iamd no delegation request can exist, so no trade-in token is
  valid: InvalidParameterValue (iamd's wording).

GetScopedCredentials has no handler (AWS's unknown-action answer): it adds up to three
scope-down policy layers to a session, which iamd's session token cannot yet carry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.arn import Arn, ArnError
from iamd.domain import PrincipalType
from iamd.errors import AccessDenied, InvalidParameterValue, OutboundWebIdentityFederationDisabled
from iamd.services.context import Call
from iamd.services.registry import AuthzCheck, sts_operation

__all__ = ["assume_root", "get_delegated_access_token", "get_web_identity_token"]


def _target_root(target: str) -> str:
    if target.isdigit():
        return f"arn:aws:iam::{target}:root"
    try:
        return f"arn:aws:iam::{Arn.parse(target).account}:root"
    except ArnError:
        return target


def _on_target_root(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
    if call.caller.type is PrincipalType.ROOT:
        raise AccessDenied("You cannot use root user credentials to call AssumeRoot.")
    return (AuthzCheck(action, _target_root(str(params["target_principal"]))),)


@sts_operation("AssumeRoot", authz=_on_target_root)
def assume_root(
    call: Call,
    *,
    target_principal: str,
    task_policy_arn: Mapping[str, Any],
    duration_seconds: int | None = None,
    minimum_session_token_size: int | None = None,
) -> Mapping[str, object]:
    raise AccessDenied(
        f"User: {call.caller.arn} is not authorized to perform: sts:AssumeRoot on resource: "
        f"{_target_root(target_principal)} because the account is not a member account of an "
        "organization with centralized root access"
    )


@sts_operation("GetWebIdentityToken")
def get_web_identity_token(
    call: Call,
    *,
    audience: Sequence[str],
    signing_algorithm: str,
    duration_seconds: int | None = None,
    scope: str | None = None,
    subject_mode: str | None = None,
    tags: Sequence[Mapping[str, Any]] | None = None,
) -> Mapping[str, object]:
    raise OutboundWebIdentityFederationDisabled(
        "The outbound web identity federation feature is not enabled for this account. To use "
        "this feature, you must first enable it through the Amazon Web Services Management "
        "Console or API."
    )


@sts_operation("GetDelegatedAccessToken")
def get_delegated_access_token(call: Call, *, trade_in_token: str) -> Mapping[str, object]:
    raise InvalidParameterValue(
        "The trade-in token is not valid: no delegation request has been accepted in this server."
    )
