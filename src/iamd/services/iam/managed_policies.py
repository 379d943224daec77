"""Managed policies, customer and AWS: GetPolicy, ListPolicies, GetPolicyVersion,
ListPolicyVersions ("Managed policies and inline policies", access_policies_managed-vs-inline;
"Versioning IAM policies", access_policies_managed-versioning)."""

from __future__ import annotations

from collections.abc import Mapping

from iamd.domain import ManagedPolicy, PolicyVersion
from iamd.errors import NoSuchEntity, ValidationError
from iamd.services.context import Call
from iamd.services.iam.documents import encoded_document
from iamd.services.iam.lookups import checked_policy_arn, on_policy, require_managed_policy
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, page_result, valid_marker
from iamd.services.iam.tagging import tags_out
from iamd.services.registry import iam_operation
from iamd.storage import PolicyScope

__all__ = [
    "get_policy",
    "get_policy_version",
    "list_policies",
    "list_policy_versions",
    "policy_out",
    "policy_version_out",
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


@iam_operation("GetPolicyVersion", write=False, authz=on_policy())
def get_policy_version(call: Call, *, policy_arn: str, version_id: str) -> Mapping[str, object]:
    checked_policy_arn(policy_arn)
    require_managed_policy(call, policy_arn)
    version = call.uow.policies.get_version(policy_arn, version_id)
    if version is None:
        raise NoSuchEntity(
            f"Policy {policy_arn} version {version_id} does not exist or is not attachable."
        )
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
    start = 0
    if marker is not None:
        ids = [v.version_id for v in versions]
        if marker not in ids:
            raise ValidationError("Invalid Marker.")
        start = ids.index(marker) + 1
    chunk = versions[start : start + max_items]
    more = start + max_items < len(versions)
    out: dict[str, object] = {
        "versions": [policy_version_out(v, with_document=False) for v in chunk],
        "is_truncated": more,
    }
    if more:
        out["marker"] = chunk[-1].version_id
    return out
