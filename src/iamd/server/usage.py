"""Last-used data gathered from the requests the audit log records, stored in batches.

The request path hands the audit writer one small :class:`RequestUse` per authenticated request;
the writer folds them into a :class:`UsageAggregator` (latest use per credential and per
identity and action) and stores the result through a :data:`~iamd.storage.usage.UsageSink`
every few seconds and at shutdown ("GetAccessKeyLastUsed", "RoleLastUsed", "PasswordLastUsed",
"service last accessed data" in the IAM API Reference and User Guide). AWS documents these as
updated within hours, not at once; iamd's delay is the flush interval.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import TypeVar

from iamd.domain import Principal, PrincipalType
from iamd.storage.usage import KeyUse, ServiceUse, UsageBatch, Use

__all__ = ["RequestUse", "UsageAggregator", "UsageNotes", "request_use"]

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class RequestUse:
    """What one authenticated request says about last use."""

    at: dt.datetime
    region: str
    service: str  # the service namespace called: iam, sts
    action: str | None  # the operation (GetUser); None for one iamd does not know
    account_id: str
    access_key_id: str | None  # a long-term access key that signed the request
    role_id: str | None  # the role of a role session
    user_arn: str | None  # the IAM user who called
    password_user_id: str | None = None  # a user who signed in with a password


def request_use(
    caller: Principal | None,
    *,
    at: dt.datetime,
    region: str,
    service: str,
    action: str | None,
) -> RequestUse | None:
    """The use an authenticated request makes of its credentials and identity; None for the
    anonymous and the unauthenticated (AWS does not report unauthenticated attempts)."""
    if caller is None or not caller.account_id:
        return None
    kind = caller.type
    long_term = not caller.session and caller.sts is None
    key = caller.access_key_id if long_term and caller.access_key_id else None
    role_id = caller.entity_id if kind is PrincipalType.ASSUMED_ROLE else None
    user_arn = caller.arn if kind is PrincipalType.USER else None
    if key is None and role_id is None and user_arn is None:
        return None
    return RequestUse(at, region, service, action, caller.account_id, key, role_id, user_arn)


class UsageNotes:
    """The request path's side: the latest time each caller used each (service, action) in
    each Region, noted with one dictionary store under a lock; turned into uses only when the
    writer drains it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._notes: dict[tuple[str, str, str, str | None, str], tuple[dt.datetime, Principal]] = {}

    def note(
        self, caller: Principal, at: dt.datetime, region: str, service: str, action: str | None
    ) -> None:
        key = (caller.access_key_id, caller.arn, service, action, region)
        with self._lock:
            self._notes[key] = (at, caller)

    def drain_into(self, aggregator: UsageAggregator) -> None:
        with self._lock:
            notes, self._notes = self._notes, {}
        for (_key, _arn, service, action, region), (at, caller) in notes.items():
            use = request_use(caller, at=at, region=region, service=service, action=action)
            if use is not None:
                aggregator.add(use)


class UsageAggregator:
    """The latest use of each credential and of each (identity, action), since the last take.

    Only the audit writer's thread touches one aggregator: no lock.
    """

    def __init__(self) -> None:
        self._keys: dict[str, KeyUse] = {}
        self._roles: dict[str, Use] = {}
        self._passwords: dict[str, dt.datetime] = {}
        self._services: dict[ServiceUse, Use] = {}

    def __len__(self) -> int:
        return len(self._keys) + len(self._roles) + len(self._passwords) + len(self._services)

    def add(self, use: RequestUse) -> None:
        at = use.at
        if use.access_key_id is not None:
            seen_key = self._keys.get(use.access_key_id)
            if seen_key is None or seen_key.at <= at:
                self._keys[use.access_key_id] = KeyUse(at, use.service, use.region)
        if use.role_id is not None:
            _keep_later(self._roles, use.role_id, Use(at, use.region))
        if use.password_user_id is not None:
            seen_at = self._passwords.get(use.password_user_id)
            if seen_at is None or seen_at < at:
                self._passwords[use.password_user_id] = at
        entity = (
            ("role", use.role_id)
            if use.role_id is not None
            else ("user", use.user_arn)
            if use.user_arn is not None
            else None
        )
        if entity is not None and use.action is not None:
            key = ServiceUse(use.account_id, entity[0], entity[1], use.service, use.action)
            _keep_later(self._services, key, Use(at, use.region))

    def take(self) -> UsageBatch:
        """Everything gathered, leaving the aggregator empty."""
        batch = UsageBatch(self._keys, self._roles, self._passwords, self._services)
        self._keys, self._roles, self._passwords, self._services = {}, {}, {}, {}
        return batch

    def restore(self, batch: UsageBatch) -> None:
        """Put back a batch that could not be stored, under anything newer gathered since."""
        for key_id, key_use in batch.access_keys.items():
            seen = self._keys.get(key_id)
            if seen is None or seen.at < key_use.at:
                self._keys[key_id] = key_use
        for role_id, use in batch.roles.items():
            _keep_later(self._roles, role_id, use)
        for user_id, at in batch.passwords.items():
            seen_at = self._passwords.get(user_id)
            if seen_at is None or seen_at < at:
                self._passwords[user_id] = at
        for service_use, use in batch.services.items():
            _keep_later(self._services, service_use, use)


def _keep_later(into: dict[K, Use], key: K, use: Use) -> None:
    seen = into.get(key)
    if seen is None or seen.at <= use.at:
        into[key] = use
