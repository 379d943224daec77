"""Managed policies attached to users and groups: Attach/Detach/ListAttached{User,Group}Policies
("Adding and removing IAM identity permissions", access_policies_manage-attach-detach), with
the quota of managed policies per identity."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.domain import AttachedPolicy, PolicyOwnerKind
from iamd.errors import NoSuchEntity
from iamd.services.context import Call
from iamd.services.iam.lifecycle import check_quota
from iamd.services.iam.lookups import (
    checked_policy_arn,
    on_group,
    on_user,
    require_group,
    require_user,
)
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, page_result, valid_marker
from iamd.services.registry import AuthzCheck, ResourceResolver, iam_operation

__all__ = [
    "attach_group_policy",
    "attach_policy",
    "attach_user_policy",
    "attached_policy_out",
    "detach_group_policy",
    "detach_policy",
    "detach_user_policy",
    "list_attached",
    "list_attached_group_policies",
    "list_attached_user_policies",
    "with_policy_arn",
]

_QUOTA_NAMES = {
    PolicyOwnerKind.USER: "PoliciesPerUser",
    PolicyOwnerKind.GROUP: "PoliciesPerGroup",
    PolicyOwnerKind.ROLE: "PoliciesPerRole",
}


def with_policy_arn(resolver: ResourceResolver) -> ResourceResolver:
    """Adds ``iam:PolicyARN`` to the request context, as AWS does for attach and detach."""

    def resolve(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
        return tuple(
            AuthzCheck(
                c.action, c.resource, {**c.context, "iam:policyarn": (params["policy_arn"],)}
            )
            for c in resolver(call, params, action)
        )

    return resolve


def _quota(call: Call, kind: PolicyOwnerKind) -> int:
    quotas = call.deps.quotas
    return {
        PolicyOwnerKind.USER: quotas.managed_policies_per_user,
        PolicyOwnerKind.GROUP: quotas.managed_policies_per_group,
        PolicyOwnerKind.ROLE: quotas.managed_policies_per_role,
    }[kind]


def attach_policy(call: Call, kind: PolicyOwnerKind, owner_id: str, policy_arn: str) -> None:
    """Attaching a policy that is already attached is no error, as on AWS."""
    checked_policy_arn(policy_arn)
    policies = call.uow.policies
    if policies.get(call.account_id, policy_arn) is None:
        raise NoSuchEntity(f"Policy {policy_arn} does not exist or is not attachable.")
    if policies.is_attached(kind, owner_id, policy_arn):
        return
    check_quota(policies.count_attached(kind, owner_id), _quota(call, kind), _QUOTA_NAMES[kind])
    policies.attach(call.account_id, kind, owner_id, policy_arn, call.now)


def detach_policy(call: Call, kind: PolicyOwnerKind, owner_id: str, policy_arn: str) -> None:
    checked_policy_arn(policy_arn)
    if not call.uow.policies.detach(kind, owner_id, policy_arn):
        raise NoSuchEntity(f"Policy {policy_arn} was not found.")


def list_attached(
    call: Call,
    kind: PolicyOwnerKind,
    owner_id: str,
    *,
    path_prefix: str,
    marker: str | None,
    max_items: int,
) -> Mapping[str, object]:
    with valid_marker():
        page = call.uow.policies.attached(
            kind, owner_id, path_prefix=path_prefix, marker=marker, max_items=max_items
        )
    return page_result(page, "attached_policies", attached_policy_out)


def attached_policy_out(policy: AttachedPolicy) -> dict[str, object]:
    """The ``AttachedPolicy`` shape."""
    return {"policy_name": policy.name, "policy_arn": policy.arn}


# -- users --------------------------------------------------------------------------------------


@iam_operation("AttachUserPolicy", write=True, authz=with_policy_arn(on_user()))
def attach_user_policy(call: Call, *, user_name: str, policy_arn: str) -> None:
    user = require_user(call, user_name)
    attach_policy(call, PolicyOwnerKind.USER, user.id, policy_arn)
    return None


@iam_operation("DetachUserPolicy", write=True, authz=with_policy_arn(on_user()))
def detach_user_policy(call: Call, *, user_name: str, policy_arn: str) -> None:
    user = require_user(call, user_name)
    detach_policy(call, PolicyOwnerKind.USER, user.id, policy_arn)
    return None


@iam_operation("ListAttachedUserPolicies", write=False, authz=on_user())
def list_attached_user_policies(
    call: Call,
    *,
    user_name: str,
    path_prefix: str = "/",
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    user = require_user(call, user_name)
    return list_attached(
        call,
        PolicyOwnerKind.USER,
        user.id,
        path_prefix=path_prefix,
        marker=marker,
        max_items=max_items,
    )


# -- groups -------------------------------------------------------------------------------------


@iam_operation("AttachGroupPolicy", write=True, authz=with_policy_arn(on_group()))
def attach_group_policy(call: Call, *, group_name: str, policy_arn: str) -> None:
    group = require_group(call, group_name)
    attach_policy(call, PolicyOwnerKind.GROUP, group.id, policy_arn)
    return None


@iam_operation("DetachGroupPolicy", write=True, authz=with_policy_arn(on_group()))
def detach_group_policy(call: Call, *, group_name: str, policy_arn: str) -> None:
    group = require_group(call, group_name)
    detach_policy(call, PolicyOwnerKind.GROUP, group.id, policy_arn)
    return None


@iam_operation("ListAttachedGroupPolicies", write=False, authz=on_group())
def list_attached_group_policies(
    call: Call,
    *,
    group_name: str,
    path_prefix: str = "/",
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    group = require_group(call, group_name)
    return list_attached(
        call,
        PolicyOwnerKind.GROUP,
        group.id,
        path_prefix=path_prefix,
        marker=marker,
        max_items=max_items,
    )
