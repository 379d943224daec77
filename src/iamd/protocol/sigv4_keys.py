"""SigV4 signing keys and a bounded cache of them.

Implements "Derive a signing key" of the *Signature Version 4 signing process* (AWS General
Reference): ``kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
"aws4_request")``. A derived key is valid for one day, one region and one service, so a server
that sees the same callers all day can skip the four HMACs on each request.

The cache is keyed by a SHA-256 of the secret, never the secret itself: a rotated or replaced
secret hashes differently, so a stale key can never be found for it and the cache needs no
invalidation across nodes. Whether an access key is still active is decided before its secret
reaches this module.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict

__all__ = ["SigningKeyCache", "derive_signing_key"]

_TERMINATOR = b"aws4_request"


def _hmac(key: bytes, message: str | bytes) -> bytes:
    data = message.encode("utf-8") if isinstance(message, str) else message
    return hmac.new(key, data, hashlib.sha256).digest()


def derive_signing_key(secret_access_key: str, date: str, region: str, service: str) -> bytes:
    """The SigV4 signing key for ``secret_access_key`` scoped to ``date/region/service``."""
    k_date = _hmac(("AWS4" + secret_access_key).encode("utf-8"), date)
    k_region = _hmac(k_date, region)
    k_service = _hmac(k_region, service)
    return _hmac(k_service, _TERMINATOR)


class SigningKeyCache:
    """A thread-safe LRU of derived signing keys, at most ``max_entries`` of them.

    Keyed by ``(sha256(secret), date, region, service)``. One instance belongs to whoever
    verifies requests (the server's composition root makes it); nothing here is global.
    """

    def __init__(self, max_entries: int = 4096) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._max_entries = max_entries
        self._keys: OrderedDict[tuple[bytes, str, str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._keys)

    def signing_key(self, secret_access_key: str, date: str, region: str, service: str) -> bytes:
        """The signing key for this scope, derived once and then served from the cache."""
        secret_hash = hashlib.sha256(secret_access_key.encode("utf-8")).digest()
        entry = (secret_hash, date, region, service)
        with self._lock:
            key = self._keys.get(entry)
            if key is not None:
                self._keys.move_to_end(entry)
                return key
        key = derive_signing_key(secret_access_key, date, region, service)
        with self._lock:
            self._keys[entry] = key
            self._keys.move_to_end(entry)
            while len(self._keys) > self._max_entries:
                self._keys.popitem(last=False)
        return key
