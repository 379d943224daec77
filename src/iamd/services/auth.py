"""Who an access key belongs to: the step between SigV4 and the policy engine.

The answer for a key is kept in memory and trusted only while its account's change counter is
unchanged: every write in an account bumps the counter in the store, on whichever node made it,
so a key deleted, deactivated or moved on one node is refused by every node on its next
request (DESIGN.md, "Caches").
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from iamd.domain import KeyStatus, Principal, PrincipalType, root_arn
from iamd.services.context import Deps
from iamd.services.iam.access_keys import secret_context
from iamd.storage import UnitOfWork

__all__ = ["Authenticator", "Credential"]


@dataclass(frozen=True, slots=True)
class Credential:
    principal: Principal
    secret_access_key: str
    account_version: int


class Authenticator:
    def __init__(self, deps: Deps, *, max_entries: int = 10_000) -> None:
        self._deps = deps
        self._max = max_entries
        self._cache: OrderedDict[str, Credential] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def credential(self, uow: UnitOfWork, access_key_id: str) -> Credential | None:
        """The active long-term key's principal and secret, or None (unknown or inactive)."""
        with self._lock:
            cached = self._cache.get(access_key_id)
        if cached is not None:
            version = uow.accounts.version(cached.principal.account_id)
            if version == cached.account_version:
                self.hits += 1
                return cached
        self.misses += 1
        found = self._load(uow, access_key_id)
        with self._lock:
            if found is None:
                self._cache.pop(access_key_id, None)
            else:
                self._cache[access_key_id] = found
                self._cache.move_to_end(access_key_id)
                while len(self._cache) > self._max:
                    self._cache.popitem(last=False)
        return found

    def _load(self, uow: UnitOfWork, access_key_id: str) -> Credential | None:
        key = uow.access_keys.get(access_key_id)
        if key is None or key.status is not KeyStatus.ACTIVE:
            return None
        version = uow.accounts.version(key.account_id)
        if version is None:
            return None
        secret = self._deps.secrets.decrypt(
            key.secret_ciphertext, context=secret_context(key.id)
        ).decode()
        if key.user_id is None:
            principal = Principal(
                type=PrincipalType.ROOT,
                account_id=key.account_id,
                arn=root_arn(key.account_id),
                user_id=key.account_id,
                access_key_id=key.id,
            )
        else:
            user = uow.users.get_by_id(key.account_id, key.user_id)
            if user is None:
                return None
            principal = Principal(
                type=PrincipalType.USER,
                account_id=key.account_id,
                arn=user.arn,
                user_id=user.id,
                access_key_id=key.id,
                name=user.name,
                entity_id=user.id,
                path=user.path,
            )
        return Credential(principal, secret, version)
