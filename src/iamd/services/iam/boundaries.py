"""Permissions boundaries given by ARN ("Permissions boundaries for IAM entities",
access_policies_boundaries): the policy must be a managed policy that exists."""

from __future__ import annotations

from iamd.errors import NoSuchEntity
from iamd.services.context import Call

__all__ = ["checked_boundary"]


def checked_boundary(call: Call, arn: str) -> str:
    if call.uow.policies.get(call.account_id, arn) is None:
        raise NoSuchEntity(f"Scope ARN: {arn} does not exist or is not attachable.")
    return arn
