"""Issuing temporary security credentials: the ``ASIA`` key id, the session token, the
``Credentials`` and ``PackedPolicySize`` elements every credential-returning STS operation
answers ("Requesting temporary security credentials", id_credentials_temp_request; STS API
Reference, ``Credentials``).

A session is never stored: its token is the session, sealed under the master keyring
(:mod:`iamd.credentials.session_tokens`), so issuing one is no database write.

**Access key ids carry their account.** As AWS's do, an ``ASIA`` key id encodes the id of the
account the session belongs to (in bits 7..46 of the base32-decoded 10 bytes after the prefix,
the layout of AWS's own key ids, so tools that decode those decode iamd's the same way); the
other 40 bits are random. GetAccessKeyInfo reads the account back without any store.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import cast

from iamd.credentials import (
    MasterKeyring,
    SessionClaims,
    SessionTokenSealer,
    packed_policy_size_percent,
)
from iamd.errors import PackedPolicyTooLarge, ValidationError
from iamd.ids import IdFactory
from iamd.services.context import Deps

__all__ = [
    "CHAINED_ROLE_MAX_SECONDS",
    "DEFAULT_ROLE_SECONDS",
    "ROOT_SESSION_MAX_SECONDS",
    "SESSION_KEY_PREFIX",
    "USER_SESSION_DEFAULT_SECONDS",
    "USER_SESSION_MAX_SECONDS",
    "account_of_key_id",
    "credentials_result",
    "role_session_seconds",
    "sealer",
    "session_key_id",
]

SESSION_KEY_PREFIX = "ASIA"
DEFAULT_ROLE_SECONDS = 3600
"""AssumeRole*: "By default, the value is set to 3600 seconds"."""
CHAINED_ROLE_MAX_SECONDS = 3600
""""Role chaining limits your AWS CLI or AWS API role session to a maximum of one hour"."""
USER_SESSION_DEFAULT_SECONDS = 43_200
USER_SESSION_MAX_SECONDS = 129_600
ROOT_SESSION_MAX_SECONDS = 3600
"""GetSessionToken / GetFederationToken called by the root user: at most one hour; "If the
duration is longer than one hour, the session ... defaults to one hour"."""

_ACCOUNT_MASK = 0x7FFFFFFFFF80
_KEY_BODY_CHARS = 16


def sealer(deps: Deps) -> SessionTokenSealer:
    """The session token sealer over the server's master keyring.

    ``deps.secrets`` is the :class:`MasterKeyring` the composition root wires; the sealer uses
    only its ``encrypt``/``decrypt`` (the :class:`SecretBox` protocol)."""
    return SessionTokenSealer(cast(MasterKeyring, deps.secrets))


def session_key_id(ids: IdFactory, account_id: str) -> str:
    """A fresh ``ASIA`` access key id that encodes ``account_id``."""
    random_body = ids.access_key_id(SESSION_KEY_PREFIX)[len(SESSION_KEY_PREFIX) :]
    raw = bytearray(base64.b32decode(random_body))
    head = int.from_bytes(raw[:6], "big")
    head = (head & ~_ACCOUNT_MASK) | ((int(account_id) << 7) & _ACCOUNT_MASK)
    raw[:6] = head.to_bytes(6, "big")
    return SESSION_KEY_PREFIX + base64.b32encode(bytes(raw)).decode("ascii")


def account_of_key_id(key_id: str) -> str | None:
    """The account an access key id encodes (AWS's layout), or None when it is not one."""
    body = key_id[4:]
    if len(key_id) != 4 + _KEY_BODY_CHARS:
        return None
    try:
        raw = base64.b32decode(body)
    except ValueError:
        return None
    account = (int.from_bytes(raw[:6], "big") & _ACCOUNT_MASK) >> 7
    return f"{account:012d}"


def role_session_seconds(duration: int | None, maximum: int, *, chained: bool) -> int:
    """DurationSeconds of an AssumeRole* call checked against the role's MaxSessionDuration and,
    for role chaining, the one-hour limit.

    AWS's messages (ValidationError), confirmed: "The requested DurationSeconds exceeds the
    MaxSessionDuration set for this role." (quoted in kreuzwerker/awsu#27 and the User Guide's
    troubleshoot_saml) and "The requested DurationSeconds exceeds the 1 hour session limit for
    roles assumed by role chaining." (quoted in aws/eks-anywhere#9485, prowler-cloud/prowler#7721).
    """
    seconds = DEFAULT_ROLE_SECONDS if duration is None else duration
    if chained and seconds > CHAINED_ROLE_MAX_SECONDS:
        raise ValidationError(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed "
            "by role chaining."
        )
    if seconds > maximum:
        raise ValidationError(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
        )
    return seconds


def expiry(now: dt.datetime, seconds: int) -> dt.datetime:
    return now + dt.timedelta(seconds=seconds)


def credentials_result(deps: Deps, claims: SessionClaims) -> dict[str, object]:
    """``Credentials``, ``PackedPolicySize``, ``SessionTokenUtilization`` and
    ``SessionTokenSize`` for the session ``claims``, or PackedPolicyTooLarge.

    The message is AWS's ("Packed size of session tags consumes 112% of allotted space.", quoted
    in aws/containers-roadmap#2413); with session policies the subject names them too
    (inferred).
    """
    percent = packed_policy_size_percent(claims)
    if percent > 100:
        subject = (
            "session policies and session tags"
            if claims.session_policy or claims.session_policy_arns
            else "session tags"
        )
        raise PackedPolicyTooLarge(
            f"Packed size of {subject} consumes {percent}% of allotted space."
        )
    token = sealer(deps).seal(claims)
    return {
        "credentials": {
            "access_key_id": claims.access_key_id,
            "secret_access_key": claims.secret_access_key,
            "session_token": token,
            "expiration": claims.expires_at,
        },
        "packed_policy_size": percent,
        "session_token_utilization": percent,
        "session_token_size": len(token.encode("ascii")),
    }
