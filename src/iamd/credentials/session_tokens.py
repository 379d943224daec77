"""Session tokens: the session itself, authenticated and encrypted, in the token.

STS API Reference, ``Credentials.SessionToken``: "The token that users must pass to the service
API to use the temporary credentials" (sent as ``X-Amz-Security-Token``). AWS's tokens are opaque
encrypted blobs of a few hundred bytes to about a kilobyte; iamd's are the same in spirit: the
:class:`~iamd.credentials.session_claims.SessionClaims` as compact JSON, compressed with raw
DEFLATE, encrypted with AES-256-GCM under the master keyring (associated data
``iamd:session-token``), then URL-safe base64 without padding behind the prefix ``iamd1_``::

    iamd1_<base64url( version | key id | nonce | AES-GCM(deflate(claims JSON)) | tag )>

The token holds the temporary secret access key, so the verifier recomputes SigV4 from the token
alone: no database write per AssumeRole and no read per request, and any node opens any node's
token. What the token cannot know — whether its issuer still exists or has revoked its sessions
— the verifier checks against the store (``issuer_id`` and ``revocation_epoch``).

Failures are coarse (STYLE.md rule 18): :class:`InvalidSessionToken` for anything that is not an
intact token of this keyring (the server answers ``InvalidClientTokenId``), and
:class:`ExpiredSessionToken` for an intact token past ``expires_at`` (``ExpiredToken``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import zlib

from iamd.credentials.keyring import MasterKeyring, SecretDecryptionError
from iamd.credentials.session_claims import (
    SessionClaims,
    claims_from_json,
    claims_to_json,
    deflate,
)
from iamd.errors import ExpiredToken, InvalidClientTokenId

__all__ = [
    "MAX_TOKEN_CHARS",
    "TOKEN_PREFIX",
    "ExpiredSessionToken",
    "InvalidSessionToken",
    "SessionTokenSealer",
]

TOKEN_PREFIX = "iamd1_"  # noqa: S105 - a format marker, not a secret
"""Names the token format; a new format gets a new prefix and the old one keeps working."""

MAX_TOKEN_CHARS = 16384
"""Longer strings are refused before any decoding (the largest real tokens are a few KB)."""

_CONTEXT = b"iamd:session-token"
_MAX_CLAIMS_BYTES = 1 << 18


class InvalidSessionToken(InvalidClientTokenId):
    """Not an intact session token of this server: garbage, tampered, or another master key."""

    def __init__(
        self, message: str = "The security token included in the request is invalid."
    ) -> None:
        super().__init__(message)


class ExpiredSessionToken(ExpiredToken):
    """An intact session token whose session has expired; ``claims`` says whose it was."""

    def __init__(
        self,
        claims: SessionClaims,
        message: str = "The security token included in the request is expired",
    ) -> None:
        super().__init__(message)
        self.claims = claims


class SessionTokenSealer:
    """Seals :class:`SessionClaims` into session tokens and opens them again."""

    __slots__ = ("_keyring",)

    def __init__(self, keyring: MasterKeyring) -> None:
        self._keyring = keyring

    def seal(self, claims: SessionClaims) -> str:
        """The session token for ``claims``, under the keyring's active key."""
        blob = self._keyring.encrypt(deflate(claims_to_json(claims)), context=_CONTEXT)
        return TOKEN_PREFIX + base64.urlsafe_b64encode(blob).rstrip(b"=").decode("ascii")

    def open(
        self, token: str, now: dt.datetime, *, access_key_id: str | None = None
    ) -> SessionClaims:
        """The claims of ``token`` if it is intact and, at ``now``, unexpired.

        With ``access_key_id`` (the key id the request was signed with) the token must have been
        issued for that key id: a token is bound to one ASIA key. Raises
        :class:`InvalidSessionToken` or :class:`ExpiredSessionToken`.
        """
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        claims = self._decode(token)
        if access_key_id is not None and not hmac.compare_digest(
            claims.access_key_id.encode("utf-8"), access_key_id.encode("utf-8")
        ):
            raise InvalidSessionToken()
        if now >= claims.expires_at:
            raise ExpiredSessionToken(claims)
        return claims

    def needs_rotation(self, token: str) -> bool:
        """True when ``token`` was sealed under a key other than the active one."""
        return self._keyring.needs_rotation(self._blob(token))

    @staticmethod
    def _blob(token: str) -> bytes:
        if len(token) > MAX_TOKEN_CHARS or not token.startswith(TOKEN_PREFIX):
            raise InvalidSessionToken()
        body = token[len(TOKEN_PREFIX) :].encode("ascii", "replace")
        try:
            blob = base64.b64decode(body + b"=" * (-len(body) % 4), altchars=b"-_", validate=True)
        except (binascii.Error, ValueError):
            raise InvalidSessionToken() from None
        # Only the canonical spelling is a token: no second string for the same bytes.
        if base64.urlsafe_b64encode(blob).rstrip(b"=") != body:
            raise InvalidSessionToken()
        return blob

    def _decode(self, token: str) -> SessionClaims:
        blob = self._blob(token)
        try:
            packed = self._keyring.decrypt(blob, context=_CONTEXT)
        except SecretDecryptionError:
            raise InvalidSessionToken() from None
        # From here the bytes are authentic: only a token this server sealed gets this far, so
        # these checks guard against a format this version cannot read, not against an attacker.
        try:
            inflater = zlib.decompressobj(wbits=-15)
            data = inflater.decompress(packed, _MAX_CLAIMS_BYTES)
            if not inflater.eof or inflater.unconsumed_tail:
                raise ValueError("truncated or oversized claims")
            return claims_from_json(data)
        except (zlib.error, ValueError, KeyError, TypeError):
            raise InvalidSessionToken() from None
