"""Storage: repository interfaces and the unit of work. Implementations live in ``storage.sql``."""

from iamd.storage.repositories import (
    AccessKeyRepository,
    AccountRepository,
    Conflict,
    GroupRepository,
    InlinePolicyRepository,
    InstanceProfileRepository,
    InvalidMarker,
    ManagedPolicyRepository,
    Page,
    PolicyScope,
    RoleRepository,
    TagRepository,
    UserRepository,
)
from iamd.storage.unit_of_work import AccountGone, Store, StoreUnavailable, UnitOfWork

__all__ = [
    "AccessKeyRepository",
    "AccountGone",
    "AccountRepository",
    "Conflict",
    "GroupRepository",
    "InlinePolicyRepository",
    "InstanceProfileRepository",
    "InvalidMarker",
    "ManagedPolicyRepository",
    "Page",
    "PolicyScope",
    "RoleRepository",
    "Store",
    "StoreUnavailable",
    "TagRepository",
    "UnitOfWork",
    "UserRepository",
]
