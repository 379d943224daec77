"""Managed and inline policies ("Managed policies and inline policies",
access_policies_managed-vs-inline; "Versioning IAM policies", access_policies_managed-versioning).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

__all__ = [
    "AWS_MANAGED_ACCOUNT",
    "AttachedPolicy",
    "InlinePolicy",
    "ManagedPolicy",
    "PolicyOwnerKind",
    "PolicyVersion",
    "is_aws_managed_arn",
    "policy_arn",
    "version_number",
]

#: The account field of AWS managed policy ARNs (``arn:aws:iam::aws:policy/...``).
AWS_MANAGED_ACCOUNT = "aws"


class PolicyOwnerKind(enum.Enum):
    """The kind of IAM identity a policy is attached to or embedded in."""

    USER = "user"
    GROUP = "group"
    ROLE = "role"


def policy_arn(account: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account}:policy{path}{name}"


def is_aws_managed_arn(arn: str) -> bool:
    return arn.startswith(f"arn:aws:iam::{AWS_MANAGED_ACCOUNT}:policy/")


def version_number(version_id: str) -> int:
    """``v12`` -> 12."""
    return int(version_id[1:])


@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    arn: str
    id: str
    name: str
    path: str
    account_id: str  # AWS_MANAGED_ACCOUNT for AWS managed policies
    default_version_id: str
    description: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    attachment_count: int = 0
    permissions_boundary_usage_count: int = 0
    is_attachable: bool = True

    @property
    def aws_managed(self) -> bool:
        return self.account_id == AWS_MANAGED_ACCOUNT


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    policy_arn: str
    version_id: str
    document: str
    is_default: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class InlinePolicy:
    owner_kind: PolicyOwnerKind
    owner_id: str
    name: str
    document: str


@dataclass(frozen=True, slots=True)
class AttachedPolicy:
    arn: str
    name: str
