"""Storage: repository interfaces and the unit of work. Implementations live in ``storage.sql``."""

from iamd.storage.repositories import (
    AccessKeyRepository,
    AccountRepository,
    Conflict,
    GroupRepository,
    InlinePolicyRepository,
    InvalidMarker,
    ManagedPolicyRepository,
    Page,
    PolicyScope,
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
    "InvalidMarker",
    "ManagedPolicyRepository",
    "Page",
    "PolicyScope",
    "Store",
    "StoreUnavailable",
    "TagRepository",
    "UnitOfWork",
    "UserRepository",
]
