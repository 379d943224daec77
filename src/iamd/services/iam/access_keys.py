"""Access keys: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey,
GetAccessKeyLastUsed ("Managing access keys for IAM users", id_credentials_access-keys).

A user (or the root user) has at most two keys. The secret is shown once, in CreateAccessKey's
answer, and kept encrypted under the master key: SigV4 verification needs it back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.domain import AccessKey, KeyStatus, User
from iamd.errors import NoSuchEntity
from iamd.services.context import Call
from iamd.services.iam.lifecycle import check_quota
from iamd.services.iam.lookups import on_user, target_user
from iamd.services.iam.paging import page_of_list, page_result
from iamd.services.registry import AuthzCheck, iam_operation
from iamd.storage import InvalidMarker, Page

__all__ = [
    "create_access_key",
    "delete_access_key",
    "get_access_key_last_used",
    "list_access_keys",
    "new_access_key",
    "secret_context",
    "update_access_key",
]


def secret_context(access_key_id: str) -> bytes:
    """Associated data binding an encrypted secret to its key id."""
    return f"iamd/access-key/{access_key_id}".encode()


def _owned_key(call: Call, user: User | None, access_key_id: str) -> AccessKey:
    key = call.uow.access_keys.get(access_key_id)
    owner_id = user.id if user is not None else None
    if key is None or key.account_id != call.account_id or key.user_id != owner_id:
        raise NoSuchEntity(f"The Access Key with id {access_key_id} cannot be found.")
    return key


def _metadata(key: AccessKey) -> dict[str, object]:
    return {
        "user_name": key.user_name,
        "access_key_id": key.id,
        "status": key.status.value,
        "create_date": key.created_at,
    }


def new_access_key(call: Call, user: User | None) -> tuple[AccessKey, str]:
    """A new long-term key for ``user`` (the root user when None), within the quota."""
    owner_id = user.id if user is not None else None
    limit = call.deps.quotas.access_keys_per_user
    check_quota(
        len(call.uow.access_keys.for_user(call.account_id, owner_id)), limit, "AccessKeysPerUser"
    )
    key_id = call.deps.ids.access_key_id("AKIA")
    secret = call.deps.ids.secret_access_key()
    key = AccessKey(
        id=key_id,
        account_id=call.account_id,
        user_id=owner_id,
        user_name=user.name if user is not None else None,
        status=KeyStatus.ACTIVE,
        created_at=call.now,
        secret_ciphertext=call.deps.secrets.encrypt(
            secret.encode(), context=secret_context(key_id)
        ),
    )
    call.uow.access_keys.add(key)
    return key, secret


@iam_operation("CreateAccessKey", write=True, authz=on_user(), cache_neutral=True)
def create_access_key(call: Call, *, user_name: str | None = None) -> Mapping[str, object]:
    user = target_user(call, user_name)
    key, secret = new_access_key(call, user)
    return {"access_key": {**_metadata(key), "secret_access_key": secret}}


@iam_operation("ListAccessKeys", write=False, authz=on_user())
def list_access_keys(
    call: Call, *, user_name: str | None = None, marker: str | None = None, max_items: int = 100
) -> Mapping[str, object]:
    user = target_user(call, user_name)
    keys = call.uow.access_keys.for_user(call.account_id, user.id if user else None)
    try:
        page = page_of_list(keys, lambda k: k.id, marker, max_items)
    except InvalidMarker:  # a marker that names none of the keys ends the list, no error
        page = Page(())
    return page_result(page, "access_key_metadata", _metadata)


@iam_operation("UpdateAccessKey", write=True, authz=on_user())
def update_access_key(
    call: Call, *, access_key_id: str, status: str, user_name: str | None = None
) -> None:
    user = target_user(call, user_name)
    key = _owned_key(call, user, access_key_id)
    call.uow.access_keys.set_status(key.id, KeyStatus(status))
    return None


@iam_operation("DeleteAccessKey", write=True, authz=on_user())
def delete_access_key(call: Call, *, access_key_id: str, user_name: str | None = None) -> None:
    user = target_user(call, user_name)
    key = _owned_key(call, user, access_key_id)
    call.uow.access_keys.delete(key.id)
    return None


def _key_owner(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
    key = call.uow.access_keys.get(params["access_key_id"])
    if key is None or key.account_id != call.account_id:
        return (AuthzCheck(action, "*"),)
    if key.user_id is None:
        return (AuthzCheck(action, f"arn:aws:iam::{key.account_id}:root"),)
    user = call.uow.users.get_by_id(key.account_id, key.user_id)
    return (AuthzCheck(action, user.arn if user else "*"),)


@iam_operation("GetAccessKeyLastUsed", write=False, authz=_key_owner)
def get_access_key_last_used(call: Call, *, access_key_id: str) -> Mapping[str, object]:
    key = call.uow.access_keys.get(access_key_id)
    if key is None or key.account_id != call.account_id:
        raise NoSuchEntity(f"The Access Key with id {access_key_id} cannot be found.")
    last_used: dict[str, object] = {
        "last_used_date": key.last_used_at,
        "service_name": key.last_used_service or "N/A",
        "region": key.last_used_region or "N/A",
    }
    return {"user_name": key.user_name, "access_key_last_used": last_used}
