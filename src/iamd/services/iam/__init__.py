"""IAM operations, one module per resource."""

from iamd.services.iam import (
    access_keys,
    attachments,
    boundaries,
    groups,
    inline_policies,
    managed_policies,
    simulator,
    users,
)

__all__ = [
    "access_keys",
    "attachments",
    "boundaries",
    "groups",
    "inline_policies",
    "managed_policies",
    "simulator",
    "users",
]
