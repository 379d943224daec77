"""Where the master keyring comes from: an environment variable, or a key file in the data dir.

Environment (checked first; when ``IAMD_MASTER_KEY`` is set the key file is neither read nor
created):

``IAMD_MASTER_KEY``
    The active master key: the base64 encoding (standard or URL-safe alphabet, padding
    optional) of exactly 32 random bytes, e.g. ``openssl rand -base64 32``.
``IAMD_MASTER_KEYS_OLD``
    Optional: older keys, comma-separated, same encoding, kept to decrypt what they encrypted.
    To rotate, put the current key here and a new one in ``IAMD_MASTER_KEY``. Setting it without
    ``IAMD_MASTER_KEY`` is an error.

Key file ``<data_dir>/master.key`` (made on first start when no variable is set)::

    # comment lines and blank lines are ignored
    iamd-master-keys 1
    active <key id> <base64 key>
    old <key id> <base64 key>
    ...

It is created with mode 0600 under ``O_CREAT | O_EXCL`` (written in full to a private temporary
file, then hard-linked into place, so no process ever reads half a file and two nodes starting
at once agree on one key). A key file readable or writable by group or others is refused with
:class:`~iamd.credentials.keyring.MasterKeyError`, as OpenSSH refuses a private key file with
open permissions. :func:`rotate_keyfile` and :func:`retire_old_keys` rewrite it under an
exclusive ``flock`` on ``master.key.lock`` and replace it atomically (``os.replace``).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import os
import secrets
import stat
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from iamd.credentials.keyring import KEY_BYTES, MasterKeyError, MasterKeyring, key_id_of

__all__ = [
    "ENV_MASTER_KEY",
    "ENV_MASTER_KEYS_OLD",
    "KEY_FILE_NAME",
    "generate_master_key",
    "load_keyring",
    "retire_old_keys",
    "rotate_keyfile",
]

ENV_MASTER_KEY = "IAMD_MASTER_KEY"
ENV_MASTER_KEYS_OLD = "IAMD_MASTER_KEYS_OLD"
KEY_FILE_NAME = "master.key"
_LOCK_FILE_NAME = "master.key.lock"
_FORMAT_LINE = "iamd-master-keys 1"
_MAX_FILE_BYTES = 1 << 16
_COMMENT = (
    "# iamd master keys. Keep this file secret (mode 0600) and back it up: without it the\n"
    "# stored secret access keys cannot be decrypted. The 'active' key encrypts; 'old' keys\n"
    "# only decrypt. Do not edit by hand while iamd runs.\n"
)


def generate_master_key() -> str:
    """A new random master key, base64-encoded, for ``IAMD_MASTER_KEY``."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def load_keyring(data_dir: Path, env: Mapping[str, str]) -> MasterKeyring:
    """The master keyring from ``IAMD_MASTER_KEY`` or else from ``<data_dir>/master.key``.

    Creates ``data_dir`` (mode 0700) and the key file with a new random key on first use.
    Raises :class:`MasterKeyError` for a malformed variable or file, or an unsafe file mode.
    """
    active_text = env.get(ENV_MASTER_KEY, "").strip()
    old_text = env.get(ENV_MASTER_KEYS_OLD, "").strip()
    if active_text:
        old = [
            _decode_key(part.strip(), ENV_MASTER_KEYS_OLD)
            for part in old_text.split(",")
            if part.strip()
        ]
        return MasterKeyring(_decode_key(active_text, ENV_MASTER_KEY), old)
    if old_text:
        raise MasterKeyError(f"{ENV_MASTER_KEYS_OLD} is set but {ENV_MASTER_KEY} is not")
    path = data_dir / KEY_FILE_NAME
    keys = _read_keyfile(path)
    if keys is None:
        _create_keyfile(data_dir)
        keys = _read_keyfile(path)
        if keys is None:  # pragma: no cover - removed between creation and reading
            raise MasterKeyError(f"{path} disappeared while it was being created")
    return MasterKeyring(keys[0], keys[1:])


def rotate_keyfile(data_dir: Path) -> MasterKeyring:
    """Make a new active key in ``<data_dir>/master.key``; the previous keys become old keys.

    Nodes pick the new key up when they next load the keyring; until every node has, a node
    with the old file cannot decrypt what the new key encrypted, so rotate, then restart nodes.
    """
    with _locked(data_dir):
        keys = _require_keyfile(data_dir / KEY_FILE_NAME)
        new = [secrets.token_bytes(KEY_BYTES), *keys]
        _replace_keyfile(data_dir, new)
    return MasterKeyring(new[0], new[1:])


def retire_old_keys(data_dir: Path) -> MasterKeyring:
    """Drop every old key from the key file, keeping the active one.

    Only safe once no stored ciphertext needs an old key (``needs_rotation`` is false for all).
    """
    with _locked(data_dir):
        keys = _require_keyfile(data_dir / KEY_FILE_NAME)
        _replace_keyfile(data_dir, keys[:1])
    return MasterKeyring(keys[0])


# -- parsing -------------------------------------------------------------------------------------


def _decode_key(text: str, where: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    try:
        material = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        material = b""
    if len(material) != KEY_BYTES:
        raise MasterKeyError(
            f"{where} must hold base64 encodings of {KEY_BYTES} random bytes "
            "(for example the output of `openssl rand -base64 32`)"
        )
    return material


def _format_keyfile(keys: Sequence[bytes]) -> bytes:
    lines = [_COMMENT + _FORMAT_LINE]
    for index, material in enumerate(keys):
        role = "active" if index == 0 else "old"
        encoded = base64.b64encode(material).decode("ascii")
        lines.append(f"{role} {key_id_of(material)} {encoded}")
    return ("\n".join(lines) + "\n").encode("ascii")


def _parse_keyfile(path: Path, data: bytes) -> list[bytes]:
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise MasterKeyError(f"{path} is not an iamd master key file") from None
    lines = [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines or lines[0][1] != _FORMAT_LINE:
        raise MasterKeyError(f"{path} is not an iamd master key file (no '{_FORMAT_LINE}' line)")
    active: list[bytes] = []
    old: list[bytes] = []
    for number, line in lines[1:]:
        fields = line.split()
        if len(fields) != 3 or fields[0] not in ("active", "old"):
            raise MasterKeyError(f"{path}:{number}: expected 'active|old <key id> <base64 key>'")
        material = _decode_key(fields[2], f"{path}:{number}")
        if key_id_of(material) != fields[1]:
            raise MasterKeyError(f"{path}:{number}: the key does not match its key id")
        (active if fields[0] == "active" else old).append(material)
    if len(active) != 1:
        raise MasterKeyError(f"{path} must hold exactly one 'active' key, not {len(active)}")
    return active + old


# -- files ---------------------------------------------------------------------------------------


def _read_keyfile(path: Path) -> list[bytes] | None:
    """The keys in ``path``, the active one first; None when there is no such file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise MasterKeyError(f"{path} is not a regular file")
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            raise MasterKeyError(
                f"{path} is accessible by group or others (mode {mode:04o}); the master key "
                f"file must be private to its owner: chmod 600 {path}"
            )
        data = os.read(fd, _MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > _MAX_FILE_BYTES:
        raise MasterKeyError(f"{path} is too large to be an iamd master key file")
    return _parse_keyfile(path, data)


def _require_keyfile(path: Path) -> list[bytes]:
    keys = _read_keyfile(path)
    if keys is None:
        raise MasterKeyError(f"{path} does not exist: there is no key file to change")
    return keys


def _write_private_temp(data_dir: Path, content: bytes) -> Path:
    """Write ``content`` to a new mode-0600 file in ``data_dir`` and flush it to disk."""
    temp = data_dir / f".{KEY_FILE_NAME}.{secrets.token_hex(8)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask left
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    return temp


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _create_keyfile(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = _write_private_temp(data_dir, _format_keyfile([secrets.token_bytes(KEY_BYTES)]))
    try:
        # link(2) fails with EEXIST rather than replace: the first node to start wins, and every
        # other one reads the winner's complete file.
        with contextlib.suppress(FileExistsError):
            os.link(temp, data_dir / KEY_FILE_NAME)
    finally:
        temp.unlink()
    _fsync_dir(data_dir)


def _replace_keyfile(data_dir: Path, keys: Sequence[bytes]) -> None:
    temp = _write_private_temp(data_dir, _format_keyfile(keys))
    try:
        os.replace(temp, data_dir / KEY_FILE_NAME)
    except BaseException:  # pragma: no cover - rename(2) within one directory
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(data_dir)


@contextlib.contextmanager
def _locked(data_dir: Path) -> Iterator[None]:
    try:
        fd = os.open(data_dir / _LOCK_FILE_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except FileNotFoundError:
        raise MasterKeyError(f"{data_dir} does not exist: there is no key file to change") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
