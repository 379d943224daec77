"""IAM operations, one module per resource."""

from iamd.services.iam import (
    access_keys,
    attachments,
    boundaries,
    groups,
    inline_policies,
    instance_profiles,
    managed_policies,
    role_policies,
    roles,
    service_linked_roles,
    simulator,
    users,
)

__all__ = [
    "access_keys",
    "attachments",
    "boundaries",
    "groups",
    "inline_policies",
    "instance_profiles",
    "managed_policies",
    "role_policies",
    "roles",
    "service_linked_roles",
    "simulator",
    "users",
]
