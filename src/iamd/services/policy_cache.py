"""Compiled policies, kept: compile once, evaluate many (STYLE 26).

A compiled policy is a pure function of its document text, its id and its type, so it is cached
under exactly those: a new policy version or an edited inline policy has new text and misses.
Nothing here can go stale across nodes; which policies apply to a principal is decided per
account version (:mod:`iamd.services.authorization`).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from iamd.policy import CompiledPolicy, PolicyKind, PolicyType, compile_policy, parse_policy

V = TypeVar("V")

__all__ = ["CompiledPolicies", "VersionedCache"]


class CompiledPolicies:
    def __init__(self, max_entries: int = 20_000) -> None:
        self._max = max_entries
        self._entries: OrderedDict[tuple[str, str, str, bool, bool], CompiledPolicy] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(
        self,
        text: str,
        policy_id: str,
        policy_type: PolicyType,
        *,
        kind: PolicyKind = PolicyKind.IDENTITY,
        aws_managed: bool = False,
        unique_ids: bool = False,
    ) -> CompiledPolicy:
        """The compiled form of a stored (already validated) policy document; ``unique_ids``
        for a trust policy written as of now (:func:`iamd.policy.replace_aws_principals`)."""
        digest = hashlib.sha256(text.encode()).hexdigest()
        key = (digest, policy_id, policy_type.value, aws_managed, unique_ids)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found
        self.misses += 1
        compiled = compile_policy(
            parse_policy(text, kind, unique_ids=unique_ids),
            policy_id,
            policy_type,
            aws_managed=aws_managed,
        )
        with self._lock:
            self._entries[key] = compiled
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return compiled


class VersionedCache(Generic[V]):
    """Values trusted while the account change counter they were read at is unchanged (any
    write in the account, on any node, bumps it): least recently used out first."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._max = max_entries
        self._entries: OrderedDict[Hashable, tuple[int, V]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, version: int | None) -> V | None:
        """The value kept for ``key`` if it was read at ``version``; None otherwise."""
        if version is None:
            self.misses += 1
            return None
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] == version:
                self._entries.move_to_end(key)
                self.hits += 1
                return found[1]
        self.misses += 1
        return None

    def put(self, key: Hashable, version: int | None, value: V) -> None:
        if version is None:
            return
        with self._lock:
            self._entries[key] = (version, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
