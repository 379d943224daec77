"""Encoded authorization messages and DecodeAuthorizationMessage (STS API Reference,
DecodeAuthorizationMessage).

"Some AWS operations additionally return an encoded message that can provide details about this
authorization failure" — AWS's IAM and STS never do: their AccessDenied messages are plain text,
and so are iamd's (docs/sts.md). Encoded messages are for the authorization answers iamd gives
*other* services (a denial the engine explains with its matched statements and request
context): :func:`encode_authorization_message` seals one under the master keyring, and
DecodeAuthorizationMessage opens it for a caller of the same account that is allowed
``sts:DecodeAuthorizationMessage``. A message lives :data:`MESSAGE_LIFETIME`; anything that is
not an intact, unexpired message of this server for the caller's account is
InvalidAuthorizationMessageException (wording inferred).

The decoded document has the shape AWS's decoded messages have: ``allowed``, ``explicitDeny``,
``matchedStatements``, ``failures`` and ``context`` (principal, action, resource, conditions).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import cast

from iamd.credentials import MasterKeyring, SecretDecryptionError
from iamd.errors import InvalidAuthorizationMessage
from iamd.services.context import Call, Deps
from iamd.services.registry import sts_operation

__all__ = [
    "MESSAGE_LIFETIME",
    "MESSAGE_PREFIX",
    "decode_authorization_message",
    "encode_authorization_message",
]

MESSAGE_PREFIX = "iamdmsg1_"
MESSAGE_LIFETIME = dt.timedelta(hours=12)
_CONTEXT = b"iamd:authorization-message"
_INVALID = "The message is not a valid encoded authorization message."


def encode_authorization_message(
    deps: Deps,
    *,
    account_id: str,
    now: dt.datetime,
    allowed: bool,
    explicit_deny: bool,
    principal_id: str,
    principal_arn: str,
    action: str,
    resource: str,
    matched_statements: Sequence[Mapping[str, object]] = (),
    conditions: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """An encoded message explaining one authorization decision, for ``account_id``."""
    document = {
        "allowed": allowed,
        "explicitDeny": explicit_deny,
        "matchedStatements": {"items": list(matched_statements)},
        "failures": {"items": []},
        "context": {
            "principal": {"id": principal_id, "arn": principal_arn},
            "action": action,
            "resource": resource,
            "conditions": {
                "items": [
                    {"key": key, "values": {"items": [{"value": v} for v in values]}}
                    for key, values in (conditions or {}).items()
                ]
            },
        },
    }
    sealed = {
        "a": account_id,
        "exp": int((now + MESSAGE_LIFETIME).timestamp()),
        "m": document,
    }
    data = json.dumps(sealed, separators=(",", ":")).encode()
    blob = cast(MasterKeyring, deps.secrets).encrypt(data, context=_CONTEXT)
    return MESSAGE_PREFIX + base64.urlsafe_b64encode(blob).rstrip(b"=").decode("ascii")


def _opened(deps: Deps, message: str) -> Mapping[str, object]:
    if not message.startswith(MESSAGE_PREFIX):
        raise InvalidAuthorizationMessage(_INVALID)
    body = message[len(MESSAGE_PREFIX) :].encode("ascii", "replace")
    try:
        blob = base64.b64decode(body + b"=" * (-len(body) % 4), altchars=b"-_", validate=True)
        data = deps.secrets.decrypt(blob, context=_CONTEXT)
        sealed = json.loads(data)
    except (binascii.Error, ValueError, SecretDecryptionError):
        raise InvalidAuthorizationMessage(_INVALID) from None
    if not isinstance(sealed, dict):
        raise InvalidAuthorizationMessage(_INVALID)
    return sealed


@sts_operation("DecodeAuthorizationMessage")
def decode_authorization_message(call: Call, *, encoded_message: str) -> Mapping[str, object]:
    sealed = _opened(call.deps, encoded_message)
    expires = sealed.get("exp")
    if sealed.get("a") != call.account_id or not isinstance(expires, int):
        raise InvalidAuthorizationMessage(_INVALID)
    if call.now.timestamp() >= expires:
        raise InvalidAuthorizationMessage(_INVALID)
    return {"decoded_message": json.dumps(sealed.get("m"), separators=(",", ":"))}
