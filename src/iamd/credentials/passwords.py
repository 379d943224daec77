"""Console passwords: argon2id hashes (IAM User Guide, "Managing passwords for IAM users").

Parameters: argon2id, memory 64 MiB, 3 passes, 4 lanes, 16-byte salt, 32-byte tag. This is the
second recommended option of RFC 9106 section 4 ("if much less memory is available"), which
argon2-cffi ships as ``profiles.RFC_9106_LOW_MEMORY``; it is stronger than OWASP's Password
Storage Cheat Sheet minimum (argon2id, 19 MiB, 2 passes, 1 lane). RFC 9106's first option (2 GiB
per hash) is not affordable for a server that checks sign-ins concurrently: with these
parameters one check costs about 0.15 s of CPU and 64 MiB of memory, and passwords are checked
only at console sign-in and password change, never per API request. A hash made under other
parameters still verifies; :func:`needs_rehash` tells the caller to store a new one after a
successful sign-in.
"""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "ARGON2_PARAMETERS",
    "hash_password",
    "needs_rehash",
    "password_was_used",
    "verify_password",
]

ARGON2_PARAMETERS = profiles.RFC_9106_LOW_MEMORY
"""argon2id, m=65536 KiB, t=3, p=4, salt 16 bytes, hash 32 bytes (RFC 9106 section 4)."""

_HASHER = PasswordHasher.from_parameters(ARGON2_PARAMETERS)

# A hash of a random password nobody knows, made with ARGON2_PARAMETERS: verifying against it
# when a user has no password costs what a real check costs, so timing does not tell whether a
# user has a login profile.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$gLAMfRalIsyl0cx6IDbu2Q$"
    "lU1bU6RF3/SxkFJlZ5LA0OwjSg/BqiOUNIdehuNsvyU"
)


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` in PHC string form (``$argon2id$v=19$m=...``)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored_hash``; never raises on a mismatch.

    The comparison is constant-time inside libargon2. ``stored_hash=None`` (a user without a
    password) runs a full check against a dummy hash and answers False, so that a missing login
    profile takes as long as a wrong password. A hash that is not an argon2 PHC string answers
    False too.
    """
    try:
        matched = _HASHER.verify(stored_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and stored_hash is not None


def needs_rehash(stored_hash: str) -> bool:
    """True when ``stored_hash`` was not made with :data:`ARGON2_PARAMETERS` (or is not argon2)."""
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def password_was_used(password: str, previous_hashes: Iterable[str]) -> bool:
    """True when ``password`` matches any of ``previous_hashes``.

    For the password policy's PasswordReusePrevention (1 to 24 previous passwords): every hash is
    checked, so the time taken does not reveal which one matched.
    """
    used = False
    for previous in previous_hashes:
        used |= verify_password(previous, password)
    return used
