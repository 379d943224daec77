"""Managed policies, customer and AWS: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, the
policy versions, ListEntitiesForPolicy and policy tags ("Managed policies and inline policies",
access_policies_managed-vs-inline; "Versioning IAM policies", access_policies_managed-versioning).

AWS managed policies are read-only for every account: changing one is refused as AWS refuses it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from iamd.domain import ManagedPolicy, PolicyVersion, policy_arn
from iamd.errors import (
    AccessDenied,
    DeleteConflict,
    EntityAlreadyExists,
    LimitExceeded,
    NoSuchEntity,
)
from iamd.services.context import Call
from iamd.services.iam.documents import checked_managed_document, encoded_document
from iamd.services.iam.lifecycle import check_quota
from iamd.services.iam.lookups import (
    checked_policy_arn,
    entities_using_policy,
    on_new_policy,
    on_policy,
    require_managed_policy,
)
from iamd.services.iam.paging import (
    DEFAULT_MAX_ITEMS,
    page_fields,
    page_of_list,
    page_result,
    valid_marker,
)
from iamd.services.iam.tagging import (
    checked_tags,
    list_resource_tags,
    tag_resource,
    tags_out,
    untag_resource,
)
from iamd.services.registry import iam_operation
from iamd.storage import PolicyScope

__all__ = [
    "create_policy",
    "create_policy_version",
    "delete_policy",
    "delete_policy_version",
    "get_policy",
    "get_policy_version",
    "list_entities_for_policy",
    "list_policies",
    "list_policy_tags",
    "list_policy_versions",
    "policy_out",
    "policy_version_out",
    "set_default_policy_version",
    "tag_policy",
    "untag_policy",
]

TAG_KIND = "policy"


def policy_out(
    policy: ManagedPolicy, *, full: bool = True, tags: object = None
) -> dict[str, object]:
    """The ``Policy`` shape; ListPolicies leaves out Description and Tags, as AWS does."""
    out: dict[str, object] = {
        "policy_name": policy.name,
        "policy_id": policy.id,
        "arn": policy.arn,
        "path": policy.path,
        "default_version_id": policy.default_version_id,
        "attachment_count": policy.attachment_count,
        "permissions_boundary_usage_count": policy.permissions_boundary_usage_count,
        "is_attachable": policy.is_attachable,
        "create_date": policy.created_at,
        "update_date": policy.updated_at,
    }
    if full:
        out["description"] = policy.description
        out["tags"] = tags
    return out


def policy_version_out(version: PolicyVersion, *, with_document: bool) -> dict[str, object]:
    return {
        "document": encoded_document(version.document) if with_document else None,
        "version_id": version.version_id,
        "is_default_version": version.is_default,
        "create_date": version.created_at,
    }


@iam_operation("GetPolicy", write=False, authz=on_policy())
def get_policy(call: Call, *, policy_arn: str) -> Mapping[str, object]:
    checked_policy_arn(policy_arn)
    policy = require_managed_policy(call, policy_arn)
    tags = None if policy.aws_managed else tags_out(call.uow.tags.get(TAG_KIND, policy.arn))
    return {"policy": policy_out(policy, tags=tags)}


@iam_operation("ListPolicies", write=False)
def list_policies(
    call: Call,
    *,
    scope: str = PolicyScope.ALL,
    only_attached: bool = False,
    path_prefix: str = "/",
    policy_usage_filter: str | None = None,
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    with valid_marker():
        page = call.uow.policies.list(
            call.account_id,
            scope=scope,
            only_attached=only_attached,
            path_prefix=path_prefix,
            usage=policy_usage_filter,
            marker=marker,
            max_items=max_items,
        )
    return page_result(page, "policies", lambda p: policy_out(p, full=False))


def _require_version(call: Call, arn: str, version_id: str) -> PolicyVersion:
    version = call.uow.policies.get_version(arn, version_id)
    if version is None:
        raise NoSuchEntity(
            f"Policy {arn} version {version_id} does not exist or is not attachable."
        )
    return version


@iam_operation("GetPolicyVersion", write=False, authz=on_policy())
def get_policy_version(call: Call, *, policy_arn: str, version_id: str) -> Mapping[str, object]:
    checked_policy_arn(policy_arn)
    require_managed_policy(call, policy_arn)
    version = _require_version(call, policy_arn, version_id)
    return {"policy_version": policy_version_out(version, with_document=True)}


@iam_operation("ListPolicyVersions", write=False, authz=on_policy())
def list_policy_versions(
    call: Call,
    *,
    policy_arn: str,
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    checked_policy_arn(policy_arn)
    require_managed_policy(call, policy_arn)
    versions = call.uow.policies.versions(policy_arn)
    with valid_marker():
        page = page_of_list(versions, lambda v: v.version_id, marker, max_items)
    return page_result(page, "versions", lambda v: policy_version_out(v, with_document=False))


def _customer_policy(call: Call, arn: str, action: str) -> ManagedPolicy:
    """A customer managed policy of the caller's account; AWS managed ones are not theirs."""
    checked_policy_arn(arn)
    policy = require_managed_policy(call, arn)
    if policy.aws_managed:
        raise AccessDenied(
            f"User: {call.caller.arn} is not authorized to perform: {action} on resource: "
            f"{arn} because no resource-based policy allows the {action} action"
        )
    return policy


@iam_operation("CreatePolicy", write=True, authz=on_new_policy(), cache_neutral=True)
def create_policy(
    call: Call,
    *,
    policy_name: str,
    policy_document: str,
    path: str = "/",
    description: str | None = None,
    tags: Sequence[Mapping[str, Any]] | None = None,
) -> Mapping[str, object]:
    uow = call.uow
    checked_managed_document(policy_document)
    if uow.policies.get_by_name(call.account_id, policy_name) is not None:
        raise EntityAlreadyExists(
            f"A policy called {policy_name} already exists. Duplicate names are not allowed."
        )
    limit = call.deps.quotas.customer_managed_policies_per_account
    check_quota(uow.policies.count_local(call.account_id), limit, "PoliciesPerAccount")
    new_tags = checked_tags(call, (), tags)
    arn = policy_arn(call.account_id, path, policy_name)
    policy = ManagedPolicy(
        arn=arn,
        id=call.deps.ids.unique_id("ANPA"),
        name=policy_name,
        path=path,
        account_id=call.account_id,
        default_version_id="v1",
        description=description,
        created_at=call.now,
        updated_at=call.now,
    )
    uow.policies.add(policy, PolicyVersion(arn, "v1", policy_document, True, call.now))
    uow.tags.replace(call.account_id, TAG_KIND, arn, new_tags)
    out = policy_out(policy, tags=tags_out(new_tags))
    out.pop("description")  # CreatePolicy's answer leaves the description out, as AWS does
    return {"policy": out}


@iam_operation("DeletePolicy", write=True, authz=on_policy())
def delete_policy(call: Call, *, policy_arn: str) -> None:
    policy = _customer_policy(call, policy_arn, "iam:DeletePolicy")
    if policy.attachment_count or policy.permissions_boundary_usage_count:
        raise DeleteConflict("Cannot delete a policy attached to entities.")
    if len(call.uow.policies.versions(policy.arn)) > 1:
        raise DeleteConflict(
            "This policy has more than one version. Before you delete a policy, you must delete "
            "the policy's versions. The default version is deleted with the policy."
        )
    call.uow.tags.delete_all(TAG_KIND, policy.arn)
    call.uow.policies.delete(policy.arn)
    return None


@iam_operation("CreatePolicyVersion", write=True, authz=on_policy())
def create_policy_version(
    call: Call, *, policy_arn: str, policy_document: str, set_as_default: bool = False
) -> Mapping[str, object]:
    policy = _customer_policy(call, policy_arn, "iam:CreatePolicyVersion")
    checked_managed_document(policy_document)
    policies = call.uow.policies
    limit = call.deps.quotas.versions_per_policy
    if len(policies.versions(policy.arn)) >= limit:
        raise LimitExceeded(
            f"A managed policy can have up to {limit} versions. Before you create a new "
            "version, you must delete an existing version."
        )
    version_id = f"v{policies.next_version_number(policy.arn)}"
    version = PolicyVersion(policy.arn, version_id, policy_document, set_as_default, call.now)
    policies.add_version(version)
    if set_as_default:
        policies.update(
            dataclasses.replace(policy, default_version_id=version_id, updated_at=call.now)
        )
    return {"policy_version": policy_version_out(version, with_document=False)}


@iam_operation("SetDefaultPolicyVersion", write=True, authz=on_policy())
def set_default_policy_version(call: Call, *, policy_arn: str, version_id: str) -> None:
    policy = _customer_policy(call, policy_arn, "iam:SetDefaultPolicyVersion")
    _require_version(call, policy.arn, version_id)
    call.uow.policies.update(
        dataclasses.replace(policy, default_version_id=version_id, updated_at=call.now)
    )
    return None


@iam_operation("DeletePolicyVersion", write=True, authz=on_policy())
def delete_policy_version(call: Call, *, policy_arn: str, version_id: str) -> None:
    policy = _customer_policy(call, policy_arn, "iam:DeletePolicyVersion")
    _require_version(call, policy.arn, version_id)
    if version_id == policy.default_version_id:
        raise DeleteConflict("Cannot delete the default version of a policy.")
    call.uow.policies.delete_version(policy.arn, version_id)
    return None


@iam_operation("ListEntitiesForPolicy", write=False, authz=on_policy())
def list_entities_for_policy(
    call: Call,
    *,
    policy_arn: str,
    entity_filter: str | None = None,
    path_prefix: str = "/",
    policy_usage_filter: str | None = None,
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    """Every user, group and role the policy is attached to (PermissionsPolicy) or is the
    permissions boundary of (PermissionsBoundary), filtered, in one paged list."""
    checked_policy_arn(policy_arn)
    require_managed_policy(call, policy_arn)
    found = entities_using_policy(call, policy_arn, policy_usage_filter)
    kinds = {"User": "user", "Group": "group", "Role": "role"}
    wanted = kinds.get(entity_filter or "")
    rows = [
        e for e in found if (wanted is None or e.kind == wanted) and e.path.startswith(path_prefix)
    ]
    if entity_filter in ("LocalManagedPolicy", "AWSManagedPolicy"):
        rows = []
    rows.sort(key=lambda e: (e.kind, e.name.lower(), e.id))
    with valid_marker():
        page = page_of_list(rows, lambda e: e.id, marker, max_items)
    chunk = page.items
    return {
        "policy_groups": [
            {"group_name": e.name, "group_id": e.id} for e in chunk if e.kind == "group"
        ],
        "policy_users": [{"user_name": e.name, "user_id": e.id} for e in chunk if e.kind == "user"],
        "policy_roles": [{"role_name": e.name, "role_id": e.id} for e in chunk if e.kind == "role"],
        **page_fields(page),
    }


@iam_operation("TagPolicy", write=True, authz=on_policy())
def tag_policy(call: Call, *, policy_arn: str, tags: Sequence[Mapping[str, Any]]) -> None:
    policy = _customer_policy(call, policy_arn, "iam:TagPolicy")
    tag_resource(call, TAG_KIND, policy.arn, tags)
    return None


@iam_operation("UntagPolicy", write=True, authz=on_policy())
def untag_policy(call: Call, *, policy_arn: str, tag_keys: Sequence[str]) -> None:
    policy = _customer_policy(call, policy_arn, "iam:UntagPolicy")
    untag_resource(call, TAG_KIND, policy.arn, tag_keys)
    return None


@iam_operation("ListPolicyTags", write=False, authz=on_policy())
def list_policy_tags(
    call: Call, *, policy_arn: str, marker: str | None = None, max_items: int = DEFAULT_MAX_ITEMS
) -> Mapping[str, object]:
    checked_policy_arn(policy_arn)
    policy = require_managed_policy(call, policy_arn)
    return list_resource_tags(call, TAG_KIND, policy.arn, marker, max_items)
