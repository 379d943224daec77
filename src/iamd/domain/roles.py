"""IAM roles and service-linked roles ("IAM roles", id_roles; "Using service-linked roles",
using-service-linked-roles).

A role has a trust policy (who may assume it), a maximum session duration of one to twelve hours
(3600 by default), an optional description and permissions boundary, and "last used" data that
the STS side records. A service-linked role is owned by an AWS service: it lives under
``/aws-service-role/<service principal>/``, trusts only that service, and the ordinary IAM API
may not edit its permissions or delete it.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from dataclasses import dataclass

__all__ = [
    "DEFAULT_MAX_SESSION_DURATION",
    "SERVICE_ROLE_PATH_PREFIX",
    "DeletionTask",
    "DeletionTaskStatus",
    "Role",
    "default_service_linked_role_name",
    "deletion_task_id",
    "parse_deletion_task_id",
    "role_arn",
    "service_linked_role_path",
    "service_trust_policy",
]

DEFAULT_MAX_SESSION_DURATION = 3600
SERVICE_ROLE_PATH_PREFIX = "/aws-service-role/"
_ROLE_NAME_PREFIX = "AWSServiceRoleFor"
_SERVICE_DOMAIN = ".amazonaws.com"


def role_arn(account_id: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:role{path}{name}"


@dataclass(frozen=True, slots=True)
class Role:
    account_id: str
    id: str
    name: str
    path: str
    created_at: dt.datetime
    assume_role_policy: str
    max_session_duration: int = DEFAULT_MAX_SESSION_DURATION
    description: str | None = None
    permissions_boundary_arn: str | None = None
    last_used_at: dt.datetime | None = None
    last_used_region: str | None = None
    service_linked_to: str | None = None
    """The service principal that owns a service-linked role; None for a customer role."""
    max_signin_session_duration: int | None = None
    trust_principal_ids: tuple[tuple[str, str], ...] = ()
    """(ARN as the trust policy writes it, unique id) of each user and role the trust policy
    names, recorded when the policy was stored: IAM holds such a principal by its unique id
    ("IAM JSON policy elements: Principal", reference_policies_elements_principal)."""

    @property
    def arn(self) -> str:
        return role_arn(self.account_id, self.path, self.name)

    @property
    def is_service_linked(self) -> bool:
        return self.service_linked_to is not None


# -- service-linked roles -----------------------------------------------------------------------


def service_linked_role_path(service: str) -> str:
    return f"{SERVICE_ROLE_PATH_PREFIX}{service}/"


def service_trust_policy(service: str) -> str:
    """The trust policy AWS gives a service-linked role (as the AWS CLI's example of
    create-service-linked-role shows it)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": ["sts:AssumeRole"],
                    "Effect": "Allow",
                    "Principal": {"Service": [service]},
                }
            ],
        },
        separators=(",", ":"),
    )


def _camel(label: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in label.split("-") if part)


def default_service_linked_role_name(service: str) -> str:
    """A role name for a service AWS's published data says nothing about: ``AWSServiceRoleFor``
    and the service's name in CamelCase; for ``<sub>.<service>.amazonaws.com`` the service, an
    underscore and the sub-service (AWS's own names follow that shape, e.g.
    ``AWSServiceRoleForApplicationAutoScaling_DynamoDBTable``)."""
    labels = service.removesuffix(_SERVICE_DOMAIN).split(".")
    if len(labels) == 1:
        return _ROLE_NAME_PREFIX + _camel(labels[0])
    return f"{_ROLE_NAME_PREFIX}{_camel(labels[-1])}_{''.join(_camel(x) for x in labels[:-1])}"


class DeletionTaskStatus(enum.Enum):
    """GetServiceLinkedRoleDeletionStatus's Status."""

    SUCCEEDED = "SUCCEEDED"
    IN_PROGRESS = "IN_PROGRESS"
    FAILED = "FAILED"
    NOT_STARTED = "NOT_STARTED"


def deletion_task_id(role: Role, task_uuid: str) -> str:
    """``task/aws-service-role/<service-principal-name>/<role-name>/<task-uuid>``, the format the
    API Reference gives for DeleteServiceLinkedRole's DeletionTaskId."""
    return f"task{role.path}{role.name}/{task_uuid}"


def parse_deletion_task_id(task_id: str) -> tuple[str, str, str] | None:
    """(service principal, role name, task uuid) of a well-formed deletion task id, else None."""
    parts = task_id.split("/")
    if len(parts) != 5 or parts[0] != "task" or parts[1] != "aws-service-role":
        return None
    if not all(parts[2:]):
        return None
    return parts[2], parts[3], parts[4]


@dataclass(frozen=True, slots=True)
class DeletionTask:
    """A DeleteServiceLinkedRole request, as GetServiceLinkedRoleDeletionStatus reports it."""

    account_id: str
    id: str
    status: DeletionTaskStatus
    created_at: dt.datetime
    reason: str | None = None
