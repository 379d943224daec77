"""GetAccessKeyInfo (STS API Reference, GetAccessKeyInfo; "Managing access keys for IAM users",
id_credentials_access-keys#Using_access-keys-audit): the account an access key id belongs to.

"This operation does not indicate the state of the access key. The key might be active,
inactive, or deleted." A long-term key is looked up in the store; a temporary (``ASIA``) key
id carries its account (:func:`iamd.services.sts.issuing.account_of_key_id`), so a session's
key is answered without any session state, even after the session ended. A key id iamd never
issued is answered as an invalid token (inferred; other emulators answer the same).

The Service Authorization Reference lists ``sts:GetAccessKeyInfo`` (no resource type), so a
caller needs that action allowed on ``*``.
"""

from __future__ import annotations

from collections.abc import Mapping

from iamd.errors import InvalidClientTokenId
from iamd.services.context import Call
from iamd.services.registry import sts_operation
from iamd.services.sts.issuing import SESSION_KEY_PREFIX, account_of_key_id

__all__ = ["get_access_key_info"]

_UNKNOWN = "The security token included in the request is invalid."


@sts_operation("GetAccessKeyInfo")
def get_access_key_info(call: Call, *, access_key_id: str) -> Mapping[str, object]:
    if access_key_id.startswith(SESSION_KEY_PREFIX):
        account = account_of_key_id(access_key_id)
        if account is not None and call.uow.accounts.version(account) is not None:
            return {"account": account}
        raise InvalidClientTokenId(_UNKNOWN)
    key = call.uow.access_keys.get(access_key_id)
    if key is None:
        raise InvalidClientTokenId(_UNKNOWN)
    return {"account": key.account_id}
