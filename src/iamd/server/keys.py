"""A node's master keyring, kept in step with a key file that another process rotates.

``iamd rotate-master-key`` rewrites ``<data-dir>/master.key`` (atomically, ``os.replace``) while
nodes run. Every node that shares that file picks the new key up by itself:

- before each encryption it compares the file's identity (inode, size, modification time) with
  the one it loaded — one ``stat`` call — and reloads when it changed, so a new secret is never
  made under a key that is no longer the active one;
- a ciphertext naming a key id it does not hold (made by a node that saw the new key first)
  makes it check the file the same way, then decrypt.

Old keys stay in the file as decrypt-only keys until every stored secret has been re-encrypted,
so during a rotation both keys are accepted everywhere. Nodes given their key in
``IAMD_MASTER_KEY`` cannot be changed while they run: they rotate by rolling restarts
(docs/operations.md, "Rotating the master key").
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from pathlib import Path

from iamd.credentials import (
    ENV_MASTER_KEY,
    KEY_FILE_NAME,
    MasterKeyError,
    MasterKeyring,
    SecretDecryptionError,
    load_keyring,
)

__all__ = ["ReloadingKeyring", "node_keyring"]

log = logging.getLogger("iamd.keys")

_Stamp = tuple[int, int, int, int]


def node_keyring(data_dir: Path, env: Mapping[str, str]) -> MasterKeyring:
    """The keyring a node serves with: fixed when ``IAMD_MASTER_KEY`` is set, else following
    ``<data_dir>/master.key`` (made on first start)."""
    if env.get(ENV_MASTER_KEY, "").strip():
        return load_keyring(data_dir, env)
    return ReloadingKeyring(data_dir)


def _stamp(path: Path) -> _Stamp | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class ReloadingKeyring(MasterKeyring):
    """A :class:`MasterKeyring` that follows ``<data_dir>/master.key``.

    Every method answers from the keyring last read from the file; those that encrypt, or meet
    a key id they do not know, first reload the file if it changed. Loading the file again
    replaces the keys held: a retired key is forgotten.
    """

    __slots__ = ("_current", "_lock", "_path", "_reload_stamp")

    def __init__(self, data_dir: Path) -> None:
        # The base class's own state is never used: every method answers from _current.
        self._path = data_dir / KEY_FILE_NAME
        self._lock = threading.Lock()
        stamp = _stamp(self._path)
        self._current = load_keyring(data_dir, {})
        self._reload_stamp = stamp if stamp is not None else _stamp(self._path)

    def __repr__(self) -> str:
        return f"ReloadingKeyring({self._path}, {self._current!r})"

    def _fresh(self) -> MasterKeyring:
        """The keyring of the key file as it is now."""
        stamp = _stamp(self._path)
        if stamp is None or stamp == self._reload_stamp:
            return self._current
        with self._lock:
            if stamp == self._reload_stamp:
                return self._current
            try:
                loaded = load_keyring(self._path.parent, {})
            except MasterKeyError as err:
                # A broken file must not stop a running node: keep serving with the keys held.
                log.error("master key file not reloaded: %s", err)
                self._reload_stamp = stamp
                return self._current
            if loaded.key_ids != self._current.key_ids:
                log.warning(
                    "master keys reloaded: active %s, %d key(s)",
                    loaded.active_key_id,
                    len(loaded.key_ids),
                )
            self._current = loaded
            self._reload_stamp = stamp
            return loaded

    def reload_if_changed(self) -> None:
        """Read the key file again if it changed since it was last read."""
        self._fresh()

    # -- MasterKeyring ---------------------------------------------------------------------------

    @property
    def active_key_id(self) -> str:
        return self._fresh().active_key_id

    @property
    def key_ids(self) -> tuple[str, ...]:
        return self._fresh().key_ids

    def encrypt(self, plaintext: bytes, *, context: bytes) -> bytes:
        return self._fresh().encrypt(plaintext, context=context)

    def decrypt(self, blob: bytes, *, context: bytes) -> bytes:
        keyring = self._for_blob(blob)
        return keyring.decrypt(blob, context=context)

    def needs_rotation(self, blob: bytes) -> bool:
        return self._fresh().needs_rotation(blob)

    def reencrypt(self, blob: bytes, *, context: bytes) -> bytes:
        keyring = self._fresh()
        return keyring.encrypt(self.decrypt(blob, context=context), context=context)

    def key_check_value(self) -> str:
        return self._fresh().key_check_value()

    def key_check_values(self) -> Mapping[str, str]:
        return self._fresh().key_check_values()

    def recognizes(self, check_value: str) -> bool:
        return self._fresh().recognizes(check_value)

    def _for_blob(self, blob: bytes) -> MasterKeyring:
        current = self._current
        try:
            key_id = current.blob_key_id(blob)
        except SecretDecryptionError:
            return current  # not a ciphertext at all: decrypt() says so
        if key_id in current.key_ids:
            return current
        return self._fresh()
