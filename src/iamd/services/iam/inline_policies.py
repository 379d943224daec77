"""Inline policies of users and groups: Put/Get/Delete/List{User,Group}Policies ("Managed
policies and inline policies", access_policies_managed-vs-inline). The generic functions serve
roles' inline policies too.

An inline policy is replaced by a Put with the same name; all inline policies of one identity
together stay within the aggregate size quota (2,048 for a user, 5,120 for a group, 10,240 for a
role, white space not counted).
"""

from __future__ import annotations

from collections.abc import Mapping

from iamd.domain import InlinePolicy, PolicyOwnerKind
from iamd.errors import NoSuchEntity
from iamd.policy import PolicyKind
from iamd.services.context import Call
from iamd.services.iam.documents import checked_document, checked_inline_total, encoded_document
from iamd.services.iam.lookups import on_group, on_user, require_group, require_user
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, page_result, valid_marker
from iamd.services.registry import iam_operation

__all__ = [
    "delete_group_policy",
    "delete_inline_policy",
    "delete_user_policy",
    "get_group_policy",
    "get_inline_policy",
    "get_user_policy",
    "list_group_policies",
    "list_inline_policies",
    "list_user_policies",
    "put_group_policy",
    "put_inline_policy",
    "put_user_policy",
]

_OWNER_WORD = {
    PolicyOwnerKind.USER: "user",
    PolicyOwnerKind.GROUP: "group",
    PolicyOwnerKind.ROLE: "role",
}


def _limit(call: Call, kind: PolicyOwnerKind) -> int:
    quotas = call.deps.quotas
    return {
        PolicyOwnerKind.USER: quotas.inline_policy_bytes_per_user,
        PolicyOwnerKind.GROUP: quotas.inline_policy_bytes_per_group,
        PolicyOwnerKind.ROLE: quotas.inline_policy_bytes_per_role,
    }[kind]


def put_inline_policy(
    call: Call,
    kind: PolicyOwnerKind,
    owner_id: str,
    owner_name: str,
    policy_name: str,
    policy_document: str,
) -> None:
    checked_document(policy_document, PolicyKind.IDENTITY)
    others = [
        p.document for p in call.uow.inline_policies.all(kind, owner_id) if p.name != policy_name
    ]
    checked_inline_total(
        [*others, policy_document], _limit(call, kind), f"{_OWNER_WORD[kind]} {owner_name}"
    )
    call.uow.inline_policies.put(
        call.account_id, InlinePolicy(kind, owner_id, policy_name, policy_document)
    )


def _not_found(kind: PolicyOwnerKind, owner_name: str, policy_name: str) -> NoSuchEntity:
    return NoSuchEntity(f"The {_OWNER_WORD[kind]} policy with name {policy_name} cannot be found.")


def get_inline_policy(
    call: Call, kind: PolicyOwnerKind, owner_id: str, owner_name: str, policy_name: str
) -> Mapping[str, object]:
    """The answer of Get{User,Group,Role}Policy: the owner's name, the policy's name and its
    document."""
    policy = call.uow.inline_policies.get(kind, owner_id, policy_name)
    if policy is None:
        raise _not_found(kind, owner_name, policy_name)
    return {
        f"{_OWNER_WORD[kind]}_name": owner_name,
        "policy_name": policy.name,
        "policy_document": encoded_document(policy.document),
    }


def delete_inline_policy(
    call: Call, kind: PolicyOwnerKind, owner_id: str, owner_name: str, policy_name: str
) -> None:
    if not call.uow.inline_policies.delete(kind, owner_id, policy_name):
        raise _not_found(kind, owner_name, policy_name)


def list_inline_policies(
    call: Call, kind: PolicyOwnerKind, owner_id: str, *, marker: str | None, max_items: int
) -> Mapping[str, object]:
    with valid_marker():
        page = call.uow.inline_policies.names(kind, owner_id, marker=marker, max_items=max_items)
    return page_result(page, "policy_names", lambda name: name)


# -- users --------------------------------------------------------------------------------------


@iam_operation("PutUserPolicy", write=True, authz=on_user())
def put_user_policy(call: Call, *, user_name: str, policy_name: str, policy_document: str) -> None:
    user = require_user(call, user_name)
    put_inline_policy(call, PolicyOwnerKind.USER, user.id, user.name, policy_name, policy_document)
    return None


@iam_operation("GetUserPolicy", write=False, authz=on_user())
def get_user_policy(call: Call, *, user_name: str, policy_name: str) -> Mapping[str, object]:
    user = require_user(call, user_name)
    return get_inline_policy(call, PolicyOwnerKind.USER, user.id, user.name, policy_name)


@iam_operation("DeleteUserPolicy", write=True, authz=on_user())
def delete_user_policy(call: Call, *, user_name: str, policy_name: str) -> None:
    user = require_user(call, user_name)
    delete_inline_policy(call, PolicyOwnerKind.USER, user.id, user.name, policy_name)
    return None


@iam_operation("ListUserPolicies", write=False, authz=on_user())
def list_user_policies(
    call: Call, *, user_name: str, marker: str | None = None, max_items: int = DEFAULT_MAX_ITEMS
) -> Mapping[str, object]:
    user = require_user(call, user_name)
    return list_inline_policies(
        call, PolicyOwnerKind.USER, user.id, marker=marker, max_items=max_items
    )


# -- groups -------------------------------------------------------------------------------------


@iam_operation("PutGroupPolicy", write=True, authz=on_group())
def put_group_policy(
    call: Call, *, group_name: str, policy_name: str, policy_document: str
) -> None:
    group = require_group(call, group_name)
    put_inline_policy(
        call, PolicyOwnerKind.GROUP, group.id, group.name, policy_name, policy_document
    )
    return None


@iam_operation("GetGroupPolicy", write=False, authz=on_group())
def get_group_policy(call: Call, *, group_name: str, policy_name: str) -> Mapping[str, object]:
    group = require_group(call, group_name)
    return get_inline_policy(call, PolicyOwnerKind.GROUP, group.id, group.name, policy_name)


@iam_operation("DeleteGroupPolicy", write=True, authz=on_group())
def delete_group_policy(call: Call, *, group_name: str, policy_name: str) -> None:
    group = require_group(call, group_name)
    delete_inline_policy(call, PolicyOwnerKind.GROUP, group.id, group.name, policy_name)
    return None


@iam_operation("ListGroupPolicies", write=False, authz=on_group())
def list_group_policies(
    call: Call, *, group_name: str, marker: str | None = None, max_items: int = DEFAULT_MAX_ITEMS
) -> Mapping[str, object]:
    group = require_group(call, group_name)
    return list_inline_policies(
        call, PolicyOwnerKind.GROUP, group.id, marker=marker, max_items=max_items
    )
