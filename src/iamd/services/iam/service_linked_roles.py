"""Service-linked roles: CreateServiceLinkedRole, DeleteServiceLinkedRole,
GetServiceLinkedRoleDeletionStatus ("Using service-linked roles", using-service-linked-roles).

A service-linked role lives under ``/aws-service-role/<service>/``, trusts only its service and
carries the service's AWS managed policy (see :mod:`service_linked_catalog` for how iamd names it
and finds that policy). Service-linked roles may exceed the RolesPerAccount quota, as on AWS.

AWS deletes a service-linked role asynchronously, after checking that its service no longer
uses it. No service uses a role in iamd, so the deletion happens in the request and its task is
recorded as SUCCEEDED at once; GetServiceLinkedRoleDeletionStatus reports it from then on.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from iamd.domain import (
    DeletionTask,
    DeletionTaskStatus,
    PolicyOwnerKind,
    Role,
    deletion_task_id,
    parse_deletion_task_id,
    role_arn,
    service_linked_role_path,
    service_trust_policy,
)
from iamd.errors import InvalidInput, NoSuchEntity
from iamd.services.context import Call
from iamd.services.iam.role_lookups import ROLE_TAG_KIND, on_role, require_role
from iamd.services.iam.roles import role_out
from iamd.services.iam.service_linked_catalog import (
    NO_SUFFIX_SERVICES,
    service_linked_role_name,
    service_policy,
)
from iamd.services.registry import AuthzCheck, iam_operation

__all__ = [
    "create_service_linked_role",
    "delete_service_linked_role",
    "get_service_linked_role_deletion_status",
]

_SERVICE_DOMAIN = ".amazonaws.com"
_ROLE_NAME_MAX = 64


def _role_name(service: str, custom_suffix: str | None) -> str:
    name = service_linked_role_name(service)
    return f"{name}_{custom_suffix}" if custom_suffix else name


def _on_new_role(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
    """The ARN the role will have, and ``iam:AWSServiceName``."""
    service: str = params["aws_service_name"]
    name = _role_name(service, params.get("custom_suffix"))
    resource = role_arn(call.account_id, service_linked_role_path(service), name)
    return (AuthzCheck(action, resource, {"iam:awsservicename": (service,)}),)


def _on_task_role(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
    """The role a deletion task id names."""
    parsed = parse_deletion_task_id(params["deletion_task_id"])
    if parsed is None:
        return (AuthzCheck(action, "*"),)
    service, name, _ = parsed
    return (AuthzCheck(action, role_arn(call.account_id, service_linked_role_path(service), name)),)


@iam_operation("CreateServiceLinkedRole", write=True, authz=_on_new_role)
def create_service_linked_role(
    call: Call,
    *,
    aws_service_name: str,
    description: str | None = None,
    custom_suffix: str | None = None,
) -> Mapping[str, object]:
    """The answer leaves Description out, as the AWS CLI's example of
    create-service-linked-role shows it; GetRole has it."""
    labels = aws_service_name.removesuffix(_SERVICE_DOMAIN)
    if not aws_service_name.endswith(_SERVICE_DOMAIN) or not labels or labels.startswith("."):
        # Inferred wording: AWS answers InvalidInput for a name that is no service principal.
        raise InvalidInput(f"Invalid service name: {aws_service_name}")
    if custom_suffix and aws_service_name in NO_SUFFIX_SERVICES:
        raise InvalidInput(f"Custom suffix is not allowed for {aws_service_name}")
    name = _role_name(aws_service_name, custom_suffix)
    if len(name) > _ROLE_NAME_MAX:
        # Inferred wording: the suffix makes a name longer than a role name may be.
        raise InvalidInput(
            f"The role name {name} is longer than {_ROLE_NAME_MAX} characters; "
            "please try a shorter suffix."
        )
    uow = call.uow
    if uow.roles.get(call.account_id, name) is not None:
        # AWS's answer, quoted in Rayraegah/terraform-aws-hasura#17 and lgallard/...#59.
        raise InvalidInput(
            f"Service role name {name} has been taken in this account, "
            "please try a different suffix."
        )
    role = Role(
        account_id=call.account_id,
        id=call.deps.ids.unique_id("AROA"),
        name=name,
        path=service_linked_role_path(aws_service_name),
        created_at=call.now,
        assume_role_policy=service_trust_policy(aws_service_name),
        description=description,
        service_linked_to=aws_service_name,
    )
    uow.roles.add(role)
    policy = service_policy(call, service_linked_role_name(aws_service_name))
    if policy is not None:
        uow.policies.attach(call.account_id, PolicyOwnerKind.ROLE, role.id, policy.arn, call.now)
    out = role_out(role, view="create")
    out.pop("description", None)
    return {"role": out}


def _task_uuid(call: Call) -> str:
    """A version-4 UUID from the injected id factory's randomness."""
    digest = hashlib.sha256(call.deps.ids.token(16).encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


@iam_operation("DeleteServiceLinkedRole", write=True, authz=on_role())
def delete_service_linked_role(call: Call, *, role_name: str) -> Mapping[str, object]:
    """Deletes the role with everything its service attached; answers the task's id in AWS's
    format ``task/aws-service-role/<service>/<role name>/<uuid>``."""
    role = require_role(call, role_name)
    if not role.is_service_linked:
        # Inferred wording; the operation's errors list NoSuchEntity for a role it cannot take.
        raise NoSuchEntity(f"Role {role.name} is not a service-linked role.")
    uow = call.uow
    for attached in uow.policies.all_attached(PolicyOwnerKind.ROLE, role.id):
        uow.policies.detach(PolicyOwnerKind.ROLE, role.id, attached.arn)
    for inline in uow.inline_policies.all(PolicyOwnerKind.ROLE, role.id):
        uow.inline_policies.delete(PolicyOwnerKind.ROLE, role.id, inline.name)
    uow.tags.delete_all(ROLE_TAG_KIND, role.id)
    uow.roles.delete(call.account_id, role.id)
    task = DeletionTask(
        account_id=call.account_id,
        id=deletion_task_id(role, _task_uuid(call)),
        status=DeletionTaskStatus.SUCCEEDED,
        created_at=call.now,
    )
    uow.roles.add_deletion_task(task)
    return {"deletion_task_id": task.id}


@iam_operation("GetServiceLinkedRoleDeletionStatus", write=False, authz=_on_task_role)
def get_service_linked_role_deletion_status(
    call: Call, *, deletion_task_id: str
) -> Mapping[str, object]:
    """An id that is not in AWS's format is InvalidInput (inferred wording); a well-formed id
    this account never issued is NoSuchEntity, as AWS answers for a task it no longer knows
    (gruntwork-io/cloud-nuke#1143; inferred wording)."""
    if parse_deletion_task_id(deletion_task_id) is None:
        raise InvalidInput(f"Invalid deletion task id: {deletion_task_id}")
    task = call.uow.roles.get_deletion_task(call.account_id, deletion_task_id)
    if task is None:
        raise NoSuchEntity(f"Deletion task {deletion_task_id} cannot be found.")
    out: dict[str, object] = {"status": task.status.value}
    if task.reason is not None:
        out["reason"] = {"reason": task.reason}
    return out
