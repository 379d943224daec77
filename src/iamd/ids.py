"""Identifiers and secrets, from :mod:`secrets` only.

AWS unique ids are a four-letter prefix naming the kind of entity and 17 characters of upper-case
letters and digits ("Unique identifiers" in the IAM User Guide, reference_identifiers): ``AIDA``
user, ``AGPA`` group, ``AROA`` role, ``ANPA`` managed policy, ``AIPA`` instance profile,
``ASCA`` server certificate, ``APKA`` SSH public key. Access key ids are ``AKIA`` (long-term) or
``ASIA`` (temporary) followed by 16 characters; secret access keys are 40 characters.
"""

from __future__ import annotations

import base64
import secrets
import string
from typing import Protocol

__all__ = ["IdFactory", "RandomIds"]

def _base32(length: int) -> str:
    """``length`` random characters of the base32 alphabet (A-Z, 2-7) AWS's ids use."""
    return base64.b32encode(secrets.token_bytes(length * 5 // 8 + 1)).decode()[:length]

_SECRET_ALPHABET = string.ascii_letters + string.digits + "+/"


class IdFactory(Protocol):
    def unique_id(self, prefix: str) -> str: ...

    def access_key_id(self, prefix: str = "AKIA") -> str: ...

    def secret_access_key(self) -> str: ...

    def account_id(self) -> str: ...

    def token(self, nbytes: int = 32) -> str: ...


class RandomIds:
    """Ids and secrets from the operating system's CSPRNG."""

    def unique_id(self, prefix: str) -> str:
        return prefix + _base32(17)

    def access_key_id(self, prefix: str = "AKIA") -> str:
        return prefix + _base32(16)

    def secret_access_key(self) -> str:
        return "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(40))

    def account_id(self) -> str:
        # 12 digits, never starting with 0 so that it survives being read as a number.
        return str(secrets.randbelow(9 * 10**11) + 10**11)

    def token(self, nbytes: int = 32) -> str:
        return secrets.token_urlsafe(nbytes)
