"""A role's permissions: inline policies (Put/Get/Delete/ListRolePolicies), managed policies
(Attach/Detach/ListAttachedRolePolicies) and its permissions boundary
(Put/DeleteRolePermissionsBoundary) ("Managed policies and inline policies",
access_policies_managed-vs-inline; "Permissions boundaries for IAM entities",
access_policies_boundaries).

A service-linked role's permissions belong to its service: every change here is refused with
UnmodifiableEntity; reading them is allowed. A service-role policy (path ``/aws-service-role/``)
is attachable only to the service-linked roles of its service.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from iamd.domain import SERVICE_ROLE_PATH_PREFIX, PolicyOwnerKind
from iamd.errors import PolicyNotAttachable
from iamd.services.context import Call
from iamd.services.iam.attachments import (
    attach_policy,
    detach_policy,
    list_attached,
    with_policy_arn,
)
from iamd.services.iam.boundaries import checked_boundary
from iamd.services.iam.inline_policies import (
    delete_inline_policy,
    get_inline_policy,
    list_inline_policies,
    put_inline_policy,
)
from iamd.services.iam.lookups import checked_policy_arn
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS
from iamd.services.iam.role_lookups import customer_role, on_role, require_role
from iamd.services.registry import iam_operation

__all__ = [
    "attach_role_policy",
    "delete_role_permissions_boundary",
    "delete_role_policy",
    "detach_role_policy",
    "get_role_policy",
    "list_attached_role_policies",
    "list_role_policies",
    "put_role_permissions_boundary",
    "put_role_policy",
]

_ROLE = PolicyOwnerKind.ROLE


def _refuse_service_role_policy(call: Call, arn: str) -> None:
    """AWS's answer to attaching an AWS managed service-role policy to a customer role
    (PolicyNotAttachable, "Cannot attach a Service Role Policy to a Customer Role.")."""
    policy = call.uow.policies.get(call.account_id, arn)
    if policy is not None and policy.path.startswith(SERVICE_ROLE_PATH_PREFIX):
        raise PolicyNotAttachable("Cannot attach a Service Role Policy to a Customer Role.")


# -- inline policies ----------------------------------------------------------------------------


@iam_operation("PutRolePolicy", write=True, authz=on_role())
def put_role_policy(call: Call, *, role_name: str, policy_name: str, policy_document: str) -> None:
    role = customer_role(call, role_name)
    put_inline_policy(call, _ROLE, role.id, role.name, policy_name, policy_document)
    return None


@iam_operation("GetRolePolicy", write=False, authz=on_role())
def get_role_policy(call: Call, *, role_name: str, policy_name: str) -> Mapping[str, object]:
    role = require_role(call, role_name)
    return get_inline_policy(call, _ROLE, role.id, role.name, policy_name)


@iam_operation("DeleteRolePolicy", write=True, authz=on_role())
def delete_role_policy(call: Call, *, role_name: str, policy_name: str) -> None:
    role = customer_role(call, role_name)
    delete_inline_policy(call, _ROLE, role.id, role.name, policy_name)
    return None


@iam_operation("ListRolePolicies", write=False, authz=on_role())
def list_role_policies(
    call: Call, *, role_name: str, marker: str | None = None, max_items: int = DEFAULT_MAX_ITEMS
) -> Mapping[str, object]:
    role = require_role(call, role_name)
    return list_inline_policies(call, _ROLE, role.id, marker=marker, max_items=max_items)


# -- managed policies ---------------------------------------------------------------------------


@iam_operation("AttachRolePolicy", write=True, authz=with_policy_arn(on_role()))
def attach_role_policy(call: Call, *, role_name: str, policy_arn: str) -> None:
    role = customer_role(call, role_name)
    checked_policy_arn(policy_arn)
    _refuse_service_role_policy(call, policy_arn)
    attach_policy(call, _ROLE, role.id, policy_arn)
    return None


@iam_operation("DetachRolePolicy", write=True, authz=with_policy_arn(on_role()))
def detach_role_policy(call: Call, *, role_name: str, policy_arn: str) -> None:
    role = customer_role(call, role_name)
    detach_policy(call, _ROLE, role.id, policy_arn)
    return None


@iam_operation("ListAttachedRolePolicies", write=False, authz=on_role())
def list_attached_role_policies(
    call: Call,
    *,
    role_name: str,
    path_prefix: str = "/",
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    role = require_role(call, role_name)
    return list_attached(
        call, _ROLE, role.id, path_prefix=path_prefix, marker=marker, max_items=max_items
    )


# -- permissions boundary -----------------------------------------------------------------------


@iam_operation("PutRolePermissionsBoundary", write=True, authz=on_role())
def put_role_permissions_boundary(call: Call, *, role_name: str, permissions_boundary: str) -> None:
    """A service-role policy is refused as a boundary with the same PolicyNotAttachable answer
    as for AttachRolePolicy (inferred: the API Reference lists the error, not its text)."""
    role = customer_role(call, role_name)
    boundary = checked_boundary(call, permissions_boundary)
    _refuse_service_role_policy(call, boundary)
    call.uow.roles.update(dataclasses.replace(role, permissions_boundary_arn=boundary))
    return None


@iam_operation("DeleteRolePermissionsBoundary", write=True, authz=on_role())
def delete_role_permissions_boundary(call: Call, *, role_name: str) -> None:
    role = customer_role(call, role_name)
    call.uow.roles.update(dataclasses.replace(role, permissions_boundary_arn=None))
    return None
