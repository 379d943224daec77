"""IAM groups and their members: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser (IAM API Reference; "Managing IAM
groups", id_groups_manage)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from iamd.domain import Group, PolicyOwnerKind
from iamd.errors import EntityAlreadyExists
from iamd.services.context import Call
from iamd.services.iam.lifecycle import check_quota, refuse_delete_while, renamed
from iamd.services.iam.lookups import on_group, on_user, require_group, require_user
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, page_result, valid_marker
from iamd.services.iam.users import user_out
from iamd.services.registry import iam_operation

__all__ = [
    "add_user_to_group",
    "create_group",
    "delete_group",
    "get_group",
    "group_out",
    "list_groups",
    "list_groups_for_user",
    "remove_user_from_group",
    "update_group",
]


def _name_taken(name: str) -> EntityAlreadyExists:
    return EntityAlreadyExists(f"Group with name {name} already exists.")


def group_out(group: Group) -> dict[str, object]:
    return {
        "path": group.path,
        "group_name": group.name,
        "group_id": group.id,
        "arn": group.arn,
        "create_date": group.created_at,
    }


@iam_operation("CreateGroup", write=True, authz=on_group(path_param="path"), cache_neutral=True)
def create_group(call: Call, *, group_name: str, path: str = "/") -> Mapping[str, object]:
    uow = call.uow
    if uow.groups.get(call.account_id, group_name) is not None:
        raise _name_taken(group_name)
    limit = call.deps.quotas.groups_per_account
    check_quota(uow.groups.count(call.account_id), limit, "GroupsPerAccount")
    group = Group(
        account_id=call.account_id,
        id=call.deps.ids.unique_id("AGPA"),
        name=group_name,
        path=path,
        created_at=call.now,
    )
    uow.groups.add(group)
    return {"group": group_out(group)}


@iam_operation("GetGroup", write=False, authz=on_group())
def get_group(
    call: Call, *, group_name: str, marker: str | None = None, max_items: int = DEFAULT_MAX_ITEMS
) -> Mapping[str, object]:
    group = require_group(call, group_name)
    with valid_marker():
        page = call.uow.groups.members(
            call.account_id, group.id, marker=marker, max_items=max_items
        )
    out = dict(page_result(page, "users", lambda u: user_out(u, full=False)))
    out["group"] = group_out(group)
    return out


@iam_operation("ListGroups", write=False)
def list_groups(
    call: Call,
    *,
    path_prefix: str = "/",
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    with valid_marker():
        page = call.uow.groups.list(
            call.account_id, path_prefix=path_prefix, marker=marker, max_items=max_items
        )
    return page_result(page, "groups", group_out)


@iam_operation("UpdateGroup", write=True, authz=on_group())
def update_group(
    call: Call,
    *,
    group_name: str,
    new_path: str | None = None,
    new_group_name: str | None = None,
) -> None:
    group = require_group(call, group_name)
    groups = call.uow.groups
    name = renamed(
        group.name, new_group_name, lambda n: groups.get(call.account_id, n), _name_taken
    )
    path = new_path if new_path is not None else group.path
    groups.update(dataclasses.replace(group, name=name, path=path))
    return None


@iam_operation("DeleteGroup", write=True, authz=on_group())
def delete_group(call: Call, *, group_name: str) -> None:
    group = require_group(call, group_name)
    uow = call.uow
    refuse_delete_while(
        (uow.groups.count_members(group.id) > 0, "remove users from group"),
        (uow.inline_policies.count(PolicyOwnerKind.GROUP, group.id) > 0, "delete policies"),
        (uow.policies.count_attached(PolicyOwnerKind.GROUP, group.id) > 0, "detach all policies"),
    )
    uow.groups.delete(call.account_id, group.id)
    return None


@iam_operation("AddUserToGroup", write=True, authz=on_group())
def add_user_to_group(call: Call, *, group_name: str, user_name: str) -> None:
    """Adding a member twice is no error, as on AWS."""
    group = require_group(call, group_name)
    user = require_user(call, user_name)
    groups = call.uow.groups
    if groups.is_member(group.id, user.id):
        return None
    limit = call.deps.quotas.groups_per_user
    check_quota(groups.count_groups_for_user(user.id), limit, "GroupsPerUser")
    groups.add_member(group.id, user.id, call.now)
    return None


@iam_operation("RemoveUserFromGroup", write=True, authz=on_group())
def remove_user_from_group(call: Call, *, group_name: str, user_name: str) -> None:
    """Removing a user that is not a member is no error, as on AWS."""
    group = require_group(call, group_name)
    user = require_user(call, user_name)
    call.uow.groups.remove_member(group.id, user.id)
    return None


@iam_operation("ListGroupsForUser", write=False, authz=on_user())
def list_groups_for_user(
    call: Call, *, user_name: str, marker: str | None = None, max_items: int = DEFAULT_MAX_ITEMS
) -> Mapping[str, object]:
    user = require_user(call, user_name)
    with valid_marker():
        page = call.uow.groups.groups_for_user(
            call.account_id, user.id, marker=marker, max_items=max_items
        )
    return page_result(page, "groups", group_out)
