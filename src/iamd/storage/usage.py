"""What the request log tells the store: when each credential and identity was last used.

The audit log's writer gathers these from the records of many requests and hands them over in
one batch every few seconds, never on a request's path. A batch keeps only the latest use of each
credential or (identity, action), so its size follows the number of distinct identities, not of
requests. These writes do not bump an account's change counter: they are not configuration, and
caches keyed on it stay warm.

- ``access_keys``: GetAccessKeyLastUsed (LastUsedDate, ServiceName, Region) of long-term keys;
- ``roles``: GetRole's RoleLastUsed, by the role sessions' requests ("the last attempt to access
  any service in AWS", id_roles_manage_delete);
- ``passwords``: PasswordLastUsed of users who signed in with their password;
- ``services``: service last accessed data ("Refine permissions in AWS using last accessed
  information": every authenticated attempt, allowed or denied), per identity and action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

__all__ = ["KeyUse", "ServiceUse", "UsageBatch", "UsageSink", "Use"]


@dataclass(frozen=True, slots=True)
class Use:
    """When and where a credential or identity was used."""

    at: dt.datetime
    region: str


@dataclass(frozen=True, slots=True)
class KeyUse:
    at: dt.datetime
    service: str  # the service namespace, as GetAccessKeyLastUsed's ServiceName
    region: str


@dataclass(frozen=True, slots=True)
class ServiceUse:
    """An identity's attempt at ``action`` of a service (``GetUser``: the action's name without
    the service prefix, as ``domain.LastAccess`` keeps it). A user is named by its ARN; a role
    by its unique id (a session's ARN does not carry the role's path), resolved when stored."""

    account_id: str
    entity_kind: str  # "user" or "role"
    entity: str  # the user's ARN, or the role's unique id
    service_namespace: str
    action: str  # GetUser


@dataclass(frozen=True, slots=True)
class UsageBatch:
    access_keys: Mapping[str, KeyUse] = field(default_factory=dict)
    roles: Mapping[str, Use] = field(default_factory=dict)  # role id
    passwords: Mapping[str, dt.datetime] = field(default_factory=dict)  # user id
    services: Mapping[ServiceUse, Use] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.access_keys) + len(self.roles) + len(self.passwords) + len(self.services)


UsageSink = Callable[[UsageBatch], None]
"""Stores a batch (one transaction), keeping for each entry the later of the stored and the new
time."""
