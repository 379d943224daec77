"""GetSessionToken (STS API Reference, GetSessionToken; "Permissions for GetSessionToken",
id_credentials_temp_control-access_getsessiontoken; "Configuring MFA-protected API access",
id_credentials_mfa_configure-api-require).

"No permissions are required for a user to get a session token ... You cannot use policies to
control authentication operations": the operation is not authorized by any policy. It must be
called with long-term credentials ("Cannot call GetSessionToken with session credentials", AWS's
AccessDenied quoted in aws/aws-sdk-net#1704 and aws/aws-sdk-php#1876). The session keeps the
caller's identity: an IAM user's session has the user's permissions, the root user's the root
user's. With SerialNumber and TokenCode the session is MFA-authenticated
(``aws:MultiFactorAuthPresent`` true, ``aws:MultiFactorAuthAge`` from now).

Durations: an IAM user 900 to 129,600 seconds, 43,200 by default; the root user at most 3,600
("If the duration is longer than one hour, the session for AWS account owners defaults to one
hour").
"""

from __future__ import annotations

from collections.abc import Mapping

from iamd.credentials import SessionClaims, SessionKind
from iamd.domain import PrincipalType
from iamd.errors import AccessDenied
from iamd.services.context import Call
from iamd.services.registry import sts_operation
from iamd.services.sts.issuing import (
    ROOT_SESSION_MAX_SECONDS,
    USER_SESSION_DEFAULT_SECONDS,
    credentials_result,
    expiry,
    session_key_id,
)
from iamd.services.sts.mfa import verified_mfa
from iamd.services.sts.principals import revocation_epoch

__all__ = ["get_session_token", "refuse_session_caller"]


def refuse_session_caller(call: Call, operation: str) -> None:
    """GetSessionToken and GetFederationToken need long-term credentials."""
    if call.caller.sts is not None:
        raise AccessDenied(f"Cannot call {operation} with session credentials")


@sts_operation("GetSessionToken", authorized=False)
def get_session_token(
    call: Call,
    *,
    duration_seconds: int | None = None,
    serial_number: str | None = None,
    token_code: str | None = None,
    minimum_session_token_size: int | None = None,
) -> Mapping[str, object]:
    refuse_session_caller(call, "GetSessionToken")
    caller = call.caller
    root = caller.type is PrincipalType.ROOT
    if root:
        seconds = min(duration_seconds or ROOT_SESSION_MAX_SECONDS, ROOT_SESSION_MAX_SECONDS)
    else:
        seconds = duration_seconds or USER_SESSION_DEFAULT_SECONDS
    mfa_at = verified_mfa(call, serial_number, token_code)
    account = caller.account_id
    issuer_id = caller.entity_id or account
    claims = SessionClaims(
        access_key_id=session_key_id(call.deps.ids, account),
        secret_access_key=call.deps.ids.secret_access_key(),
        account_id=account,
        kind=SessionKind.ROOT_SESSION if root else SessionKind.USER_SESSION,
        principal_arn=caller.arn,
        principal_id=caller.user_id,
        issuer_arn=caller.arn,
        issuer_id=issuer_id,
        issued_at=call.now,
        expires_at=expiry(call.now, seconds),
        mfa_authenticated=mfa_at is not None,
        mfa_authenticated_at=mfa_at,
        revocation_epoch=revocation_epoch(call.uow, account, issuer_id),
    )
    result = credentials_result(call.deps, claims)
    return {
        "credentials": result["credentials"],
        "session_token_utilization": result["session_token_utilization"],
        "session_token_size": result["session_token_size"],
    }
