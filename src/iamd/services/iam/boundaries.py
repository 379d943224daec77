"""Permissions boundaries ("Permissions boundaries for IAM entities", access_policies_boundaries):
a managed policy, AWS or customer, set by ARN on a user or role."""

from __future__ import annotations

import dataclasses

from iamd.errors import NoSuchEntity
from iamd.services.context import Call
from iamd.services.iam.lookups import checked_policy_arn, on_user, require_user
from iamd.services.registry import iam_operation

__all__ = [
    "boundary_out",
    "checked_boundary",
    "delete_user_permissions_boundary",
    "put_user_permissions_boundary",
]


def checked_boundary(call: Call, arn: str) -> str:
    checked_policy_arn(arn)
    if call.uow.policies.get(call.account_id, arn) is None:
        raise NoSuchEntity(f"Scope ARN: {arn} does not exist or is not attachable.")
    return arn


def boundary_out(arn: str | None) -> dict[str, object] | None:
    """The ``AttachedPermissionsBoundary`` shape of a user or role; None (omitted) without one."""
    if arn is None:
        return None
    return {
        "permissions_boundary_type": "PermissionsBoundaryPolicy",
        "permissions_boundary_arn": arn,
    }


@iam_operation("PutUserPermissionsBoundary", write=True, authz=on_user())
def put_user_permissions_boundary(call: Call, *, user_name: str, permissions_boundary: str) -> None:
    user = require_user(call, user_name)
    boundary = checked_boundary(call, permissions_boundary)
    call.uow.users.update(dataclasses.replace(user, permissions_boundary_arn=boundary))
    return None


@iam_operation("DeleteUserPermissionsBoundary", write=True, authz=on_user())
def delete_user_permissions_boundary(call: Call, *, user_name: str) -> None:
    user = require_user(call, user_name)
    call.uow.users.update(dataclasses.replace(user, permissions_boundary_arn=None))
    return None
