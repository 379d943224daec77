"""MFA codes given to GetSessionToken and AssumeRole ("Configuring MFA-protected API access",
id_credentials_mfa_configure-api-require).

A code is checked against the caller's own enabled virtual MFA device (an IAM user's, or the
root user's) and its time step is recorded in a short write transaction of its own, so the same
code — or an older one — is never accepted twice, on any node; the operation itself stays
read-only.

AWS's answers (AccessDenied), confirmed: a serial number that is not the caller's device is
"MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial
number is valid and associated with this user." (two spaces, as AWS writes it; quoted in
aws/aws-cli#6325), a wrong or reused code "MultiFactorAuthentication failed with invalid MFA one
time pass code." (quoted in lonelyplanet/aws-mfa#21 and aws/aws-cli#2279).
"""

from __future__ import annotations

import datetime as dt

from iamd.domain import PrincipalType
from iamd.errors import AccessDenied
from iamd.services.context import Call
from iamd.services.iam.mfa_devices import check_mfa_code

__all__ = ["INVALID_CODE", "UNKNOWN_DEVICE", "verified_mfa"]

UNKNOWN_DEVICE = (
    "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA "
    "serial number is valid and associated with this user."
)
INVALID_CODE = "MultiFactorAuthentication failed with invalid MFA one time pass code."


def verified_mfa(
    call: Call, serial_number: str | None, token_code: str | None
) -> dt.datetime | None:
    """When both are given: the time the caller passed MFA (now), or AccessDenied. When neither
    is given: None. One without the other cannot be validated."""
    if serial_number is None and token_code is None:
        return None
    caller = call.caller
    if caller.type is PrincipalType.ROOT:
        user_id = None
    elif caller.type is PrincipalType.USER and caller.entity_id is not None:
        user_id = caller.entity_id
    else:
        raise AccessDenied(UNKNOWN_DEVICE)  # role and federated sessions have no MFA device
    if serial_number is None or token_code is None:
        raise AccessDenied(UNKNOWN_DEVICE)
    device = call.uow.mfa_devices.get(caller.account_id, serial_number)
    if device is None or not device.enabled_for(user_id):
        raise AccessDenied(UNKNOWN_DEVICE)
    with call.deps.store.unit_of_work(write=True) as uow:
        accepted = check_mfa_code(
            uow,
            call.deps.secrets,
            account_id=caller.account_id,
            user_id=user_id,
            serial_number=serial_number,
            code=token_code,
            now=call.now,
        )
    if not accepted:
        raise AccessDenied(INVALID_CODE)
    return call.now
