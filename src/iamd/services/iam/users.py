"""IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser and the user tag operations
(IAM API Reference; "Managing IAM users", id_users_manage)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from iamd.domain import PolicyOwnerKind, User
from iamd.errors import EntityAlreadyExists
from iamd.services.context import Call
from iamd.services.iam.boundaries import boundary_out, checked_boundary
from iamd.services.iam.lifecycle import check_quota, refuse_delete_while, renamed
from iamd.services.iam.lookups import USER_TAG_KIND, on_user, require_user, target_user
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, page_result, valid_marker
from iamd.services.iam.tagging import (
    checked_tags,
    list_resource_tags,
    tag_resource,
    tags_out,
    untag_resource,
)
from iamd.services.registry import iam_operation

__all__ = [
    "create_user",
    "delete_user",
    "get_user",
    "list_user_tags",
    "list_users",
    "tag_user",
    "untag_user",
    "update_user",
    "user_out",
]

TAG_KIND = USER_TAG_KIND


def _name_taken(name: str) -> EntityAlreadyExists:
    return EntityAlreadyExists(f"User with name {name} already exists.")


def user_out(
    user: User, *, tags: Sequence[Any] | None = None, full: bool = True
) -> dict[str, object]:
    """The ``User`` shape. ListUsers leaves out PermissionsBoundary and Tags, as AWS does."""
    out: dict[str, object] = {
        "path": user.path,
        "user_name": user.name,
        "user_id": user.id,
        "arn": user.arn,
        "create_date": user.created_at,
        "password_last_used": user.password_last_used,
    }
    if full:
        out["permissions_boundary"] = boundary_out(user.permissions_boundary_arn)
        out["tags"] = tags_out(tags or ())
    return out


@iam_operation("CreateUser", write=True, authz=on_user(path_param="path"), cache_neutral=True)
def create_user(
    call: Call,
    *,
    user_name: str,
    path: str = "/",
    permissions_boundary: str | None = None,
    tags: Sequence[Mapping[str, Any]] | None = None,
) -> Mapping[str, object]:
    uow = call.uow
    if uow.users.get(call.account_id, user_name) is not None:
        raise _name_taken(user_name)
    limit = call.deps.quotas.users_per_account
    check_quota(uow.users.count(call.account_id), limit, "UsersPerAccount")
    new_tags = checked_tags(call, (), tags)
    boundary = checked_boundary(call, permissions_boundary) if permissions_boundary else None
    user = User(
        account_id=call.account_id,
        id=call.deps.ids.unique_id("AIDA"),
        name=user_name,
        path=path,
        created_at=call.now,
        permissions_boundary_arn=boundary,
    )
    uow.users.add(user)
    if new_tags:  # a new user has no tags to replace
        uow.tags.replace(call.account_id, TAG_KIND, user.id, new_tags)
    return {"user": user_out(user, tags=new_tags)}


@iam_operation("GetUser", write=False, authz=on_user())
def get_user(call: Call, *, user_name: str | None = None) -> Mapping[str, object]:
    user = target_user(call, user_name)
    if user is None:  # the root user, asking about itself
        account = call.uow.accounts.get(call.account_id)
        return {
            "user": {
                "user_id": call.account_id,
                "arn": call.caller.arn,
                "create_date": account.created_at if account else call.now,
            }
        }
    return {"user": user_out(user, tags=call.uow.tags.get(TAG_KIND, user.id))}


@iam_operation("ListUsers", write=False)
def list_users(
    call: Call,
    *,
    path_prefix: str = "/",
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    with valid_marker():
        page = call.uow.users.list(
            call.account_id, path_prefix=path_prefix, marker=marker, max_items=max_items
        )
    return page_result(page, "users", lambda u: user_out(u, full=False))


@iam_operation("UpdateUser", write=True, authz=on_user())
def update_user(
    call: Call,
    *,
    user_name: str,
    new_path: str | None = None,
    new_user_name: str | None = None,
) -> None:
    user = require_user(call, user_name)
    users = call.uow.users
    name = renamed(user.name, new_user_name, lambda n: users.get(call.account_id, n), _name_taken)
    path = new_path if new_path is not None else user.path
    users.update(dataclasses.replace(user, name=name, path=path))
    return None


@iam_operation("DeleteUser", write=True, authz=on_user())
def delete_user(call: Call, *, user_name: str) -> None:
    """ "Deleting an IAM user" (id_users_manage): AWS refuses while anything is still attached to
    the user, one kind at a time, in the order of that page's AWS CLI procedure (password,
    access keys, signing certificates, SSH public keys, Git credentials, MFA devices, inline
    policies, managed policies, groups). Texts seen in AWS's answers: "must delete login profile
    first", "must delete certificates first", "must remove referenced objects first" (SSH public
    keys), "must delete MFA device first"; for service-specific credentials the SSH keys' text
    is inferred."""
    user = require_user(call, user_name)
    uow = call.uow
    account_id = call.account_id
    refuse_delete_while(
        (uow.login_profiles.get(account_id, user.id) is not None, "delete login profile"),
        (bool(uow.access_keys.for_user(call.account_id, user.id)), "delete access keys"),
        (uow.signing_certificates.count(account_id, user.id) > 0, "delete certificates"),
        (uow.ssh_public_keys.count(user.id) > 0, "remove referenced objects"),
        (bool(uow.service_credentials.for_user(user.id)), "remove referenced objects"),
        (bool(uow.mfa_devices.enabled_for(account_id, user.id)), "delete MFA device"),
        (uow.inline_policies.count(PolicyOwnerKind.USER, user.id) > 0, "delete policies"),
        (uow.policies.count_attached(PolicyOwnerKind.USER, user.id) > 0, "detach all policies"),
        (uow.groups.count_groups_for_user(user.id) > 0, "remove users from group"),
    )
    uow.tags.delete_all(TAG_KIND, user.id)
    uow.users.delete(call.account_id, user.id)
    return None


@iam_operation("TagUser", write=True, authz=on_user())
def tag_user(call: Call, *, user_name: str, tags: Sequence[Mapping[str, Any]]) -> None:
    tag_resource(call, TAG_KIND, require_user(call, user_name).id, tags)
    return None


@iam_operation("UntagUser", write=True, authz=on_user())
def untag_user(call: Call, *, user_name: str, tag_keys: Sequence[str]) -> None:
    untag_resource(call, TAG_KIND, require_user(call, user_name).id, tag_keys)
    return None


@iam_operation("ListUserTags", write=False, authz=on_user())
def list_user_tags(
    call: Call, *, user_name: str, marker: str | None = None, max_items: int = DEFAULT_MAX_ITEMS
) -> Mapping[str, object]:
    user = require_user(call, user_name)
    return list_resource_tags(call, TAG_KIND, user.id, marker, max_items)
