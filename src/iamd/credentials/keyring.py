"""Secrets at rest: AES-256-GCM under a rotatable master keyring.

SigV4 needs each secret access key back in the clear (the verifier recomputes the signature), so
secrets cannot be hashed; they are encrypted under a master key ("Secrets" in DESIGN.md; the IAM
User Guide, "Managing access keys for IAM users", states that AWS itself cannot show a secret
again after creation, which iamd honours at the API while keeping the key recoverable for
verification).

A :class:`MasterKeyring` holds one active 256-bit key, used for every new encryption, and any
number of older keys kept only to decrypt what they encrypted. Every key has a short key id
derived from the key itself (the first four bytes of ``HMAC-SHA256(key, "iamd master key id
v1")``), so a ciphertext names the key that can open it without any table of ids.

Ciphertext layout (``version`` is 1)::

    version (1 byte) | key id (4 bytes) | nonce (12 bytes) | AES-GCM ciphertext and 16-byte tag

The associated data is the five header bytes followed by the caller's ``context``: a ciphertext
is bound to the row and field it belongs to (``b"iamd:access-key:AKIA..."``) and cannot be moved
to another one. Nonces are 96 random bits from :mod:`secrets`; at 2**32 encryptions under one key
the collision bound of NIST SP 800-38D section 8.3 is reached, far beyond any IAM data set, and
rotation starts a fresh key anyway.

Decryption failures of every kind raise one coarse :class:`SecretDecryptionError` (STYLE.md
rule 18, like Fernet's single ``InvalidToken``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = [
    "KEY_BYTES",
    "MasterKeyError",
    "MasterKeyring",
    "SecretDecryptionError",
    "key_id_of",
]

KEY_BYTES = 32
"""Master keys are 256-bit AES keys."""

_VERSION = 1
_KEY_ID_BYTES = 4
_HEADER_BYTES = 1 + _KEY_ID_BYTES
_NONCE_BYTES = 12
_TAG_BYTES = 16
_MIN_BLOB_BYTES = _HEADER_BYTES + _NONCE_BYTES + _TAG_BYTES

_KEY_ID_LABEL = b"iamd master key id v1"
_CHECK_VALUE_LABEL = b"iamd master key check value v1"


class SecretDecryptionError(Exception):
    """A stored secret could not be decrypted: unknown key, tampered bytes or wrong context.

    Deliberately says nothing about which: callers treat it as data corruption or a wrong master
    key, never as something to show a client.
    """

    def __init__(self) -> None:
        super().__init__("the secret could not be decrypted")


class MasterKeyError(Exception):
    """Master key material is missing, malformed or stored unsafely (a startup error).

    Messages name the variable or file at fault and never contain key material.
    """


def _derive(material: bytes, label: bytes) -> bytes:
    return hmac.new(material, label, hashlib.sha256).digest()


def key_id_of(material: bytes) -> str:
    """The short id (8 hex digits) of a 32-byte master key."""
    _check_material(material)
    return _derive(material, _KEY_ID_LABEL)[:_KEY_ID_BYTES].hex()


def _check_material(material: bytes) -> None:
    if len(material) != KEY_BYTES:
        raise MasterKeyError(f"a master key must be {KEY_BYTES} bytes, not {len(material)}")


class MasterKeyring:
    """One active key that encrypts, and older keys that only decrypt.

    Immutable: rotation builds a new keyring. The repr names key ids only.
    """

    __slots__ = ("_active_id", "_check_values", "_ciphers")

    def __init__(self, active: bytes, old: Iterable[bytes] = ()) -> None:
        _check_material(active)
        ciphers: dict[bytes, AESGCM] = {}
        check_values: dict[bytes, str] = {}
        materials: dict[bytes, bytes] = {}
        for material in (active, *old):
            _check_material(material)
            key_id = _derive(material, _KEY_ID_LABEL)[:_KEY_ID_BYTES]
            known = materials.get(key_id)
            if known is not None:
                if not hmac.compare_digest(known, material):
                    raise MasterKeyError(
                        f"two different master keys share the key id {key_id.hex()}; "
                        "generate a new key"
                    )
                continue  # the same key listed twice: harmless
            materials[key_id] = material
            ciphers[key_id] = AESGCM(material)
            check_values[key_id] = _derive(material, _CHECK_VALUE_LABEL)[:16].hex()
        self._active_id = _derive(active, _KEY_ID_LABEL)[:_KEY_ID_BYTES]
        self._ciphers = ciphers
        self._check_values = check_values

    def __repr__(self) -> str:
        return f"MasterKeyring(active={self.active_key_id!r}, keys={len(self._ciphers)})"

    @property
    def active_key_id(self) -> str:
        """The id of the key every new ciphertext is made with."""
        return self._active_id.hex()

    @property
    def key_ids(self) -> tuple[str, ...]:
        """Every key id, the active one first."""
        return tuple(key_id.hex() for key_id in self._ciphers)

    # -- encryption ------------------------------------------------------------------------------

    def encrypt(self, plaintext: bytes, *, context: bytes) -> bytes:
        """Encrypt under the active key, bound to ``context`` (the row and field it belongs to)."""
        header = bytes([_VERSION]) + self._active_id
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._ciphers[self._active_id].encrypt(nonce, plaintext, header + context)
        return header + nonce + sealed

    def decrypt(self, blob: bytes, *, context: bytes) -> bytes:
        """Decrypt a ciphertext made by :meth:`encrypt` of this or an earlier keyring.

        Raises :class:`SecretDecryptionError` for anything but an intact ciphertext made under
        one of this keyring's keys with the same ``context``.
        """
        key_id = self._key_id_of_blob(blob)
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise SecretDecryptionError()
        header = blob[:_HEADER_BYTES]
        nonce = blob[_HEADER_BYTES : _HEADER_BYTES + _NONCE_BYTES]
        try:
            return cipher.decrypt(nonce, blob[_HEADER_BYTES + _NONCE_BYTES :], header + context)
        except InvalidTag:
            raise SecretDecryptionError() from None

    def needs_rotation(self, blob: bytes) -> bool:
        """True when ``blob`` was made under a key other than the active one.

        A background job re-encrypts such rows with :meth:`reencrypt`; once none is left the old
        keys can be retired. Raises :class:`SecretDecryptionError` for a blob that is not a
        ciphertext of this format at all.
        """
        return self._key_id_of_blob(blob) != self._active_id

    def reencrypt(self, blob: bytes, *, context: bytes) -> bytes:
        """Decrypt ``blob`` and encrypt its plaintext again under the active key."""
        return self.encrypt(self.decrypt(blob, context=context), context=context)

    def blob_key_id(self, blob: bytes) -> str:
        """The id of the key ``blob`` was made under (it need not be in this keyring)."""
        return self._key_id_of_blob(blob).hex()

    @staticmethod
    def _key_id_of_blob(blob: bytes) -> bytes:
        if len(blob) < _MIN_BLOB_BYTES or blob[0] != _VERSION:
            raise SecretDecryptionError()
        return bytes(blob[1:_HEADER_BYTES])

    # -- key check values ------------------------------------------------------------------------

    def key_check_value(self) -> str:
        """A value that identifies the active key without revealing it (32 hex digits).

        ``HMAC-SHA256(key, "iamd master key check value v1")`` truncated to 128 bits. The server
        stores it next to the data; a node that starts with a keyring that does not
        :meth:`recognizes` the stored value holds the wrong master key and must refuse to serve.
        """
        return self._check_values[self._active_id]

    def key_check_values(self) -> Mapping[str, str]:
        """The check value of every key, by key id, the active key first."""
        return {key_id.hex(): value for key_id, value in self._check_values.items()}

    def recognizes(self, check_value: str) -> bool:
        """True when ``check_value`` is the check value of one of this keyring's keys."""
        if not check_value.isascii():
            return False  # compare_digest refuses non-ASCII text; no check value has any
        found = False
        for value in self._check_values.values():
            found |= hmac.compare_digest(value, check_value)
        return found
