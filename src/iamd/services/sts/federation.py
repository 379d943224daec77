"""GetFederationToken (STS API Reference, GetFederationToken; "Permissions for
GetFederationToken", id_credentials_temp_control-access_getfederationtoken).

The caller needs ``sts:GetFederationToken`` on ``arn:aws:sts::ACCOUNT:federated-user/NAME``
(the Service Authorization Reference's resource) and, to pass session tags,
``sts:TagSession`` on its own user ARN. The federated user's permissions are the intersection of
the calling user's policies and the session policies passed — none without a session policy.
Its ARN is ``arn:aws:sts::ACCOUNT:federated-user/NAME`` and its id ``ACCOUNT:NAME``. Session
tags are not transitive here ("You can't set session tags as transitive when you use
GetFederationToken").

Durations: an IAM user 900 to 129,600 seconds, 43,200 by default; the root user at most 3,600,
a longer request "defaults to one hour".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.credentials import SessionClaims, SessionKind
from iamd.domain import PrincipalType
from iamd.services.context import Call
from iamd.services.registry import AuthzCheck, sts_operation
from iamd.services.sts.issuing import (
    ROOT_SESSION_MAX_SECONDS,
    USER_SESSION_DEFAULT_SECONDS,
    credentials_result,
    expiry,
    session_key_id,
)
from iamd.services.sts.principals import federated_user_arn, revocation_epoch
from iamd.services.sts.session_inputs import checked_session_policies, checked_session_tags
from iamd.services.sts.sessions import refuse_session_caller

__all__ = ["get_federation_token"]


def _on_federated_user(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
    refuse_session_caller(call, "GetFederationToken")
    checks = [AuthzCheck(action, federated_user_arn(call.account_id, str(params["name"])))]
    if params.get("tags"):
        checks.append(AuthzCheck("sts:TagSession", call.caller.arn))
    return checks


@sts_operation("GetFederationToken", authz=_on_federated_user)
def get_federation_token(
    call: Call,
    *,
    name: str,
    policy: str | None = None,
    policy_arns: Sequence[Mapping[str, Any]] | None = None,
    duration_seconds: int | None = None,
    tags: Sequence[Mapping[str, Any]] | None = None,
    minimum_session_token_size: int | None = None,
) -> Mapping[str, object]:
    refuse_session_caller(call, "GetFederationToken")
    caller = call.caller
    account = caller.account_id
    if caller.type is PrincipalType.ROOT:
        seconds = min(duration_seconds or ROOT_SESSION_MAX_SECONDS, ROOT_SESSION_MAX_SECONDS)
    else:
        seconds = duration_seconds or USER_SESSION_DEFAULT_SECONDS
    session_tags = checked_session_tags(tags, None)
    session_policy, arns = checked_session_policies(call.uow, account, policy, policy_arns)
    issuer_id = caller.entity_id or account
    claims = SessionClaims(
        access_key_id=session_key_id(call.deps.ids, account),
        secret_access_key=call.deps.ids.secret_access_key(),
        account_id=account,
        kind=SessionKind.FEDERATED_USER,
        principal_arn=federated_user_arn(account, name),
        principal_id=f"{account}:{name}",
        issuer_arn=caller.arn,
        issuer_id=issuer_id,
        issued_at=call.now,
        expires_at=expiry(call.now, seconds),
        session_policy=session_policy,
        session_policy_arns=arns,
        session_tags=session_tags.tags,
        revocation_epoch=revocation_epoch(call.uow, account, issuer_id),
    )
    result = credentials_result(call.deps, claims)
    result["federated_user"] = {
        "federated_user_id": claims.principal_id,
        "arn": claims.principal_arn,
    }
    return result
