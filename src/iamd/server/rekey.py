"""Master key rotation: every stored secret re-encrypted under a new key while nodes serve.

Which columns hold secrets, and the associated data (AES-GCM "context") each was sealed with,
are listed here once: :data:`SECRET_COLUMNS`. A test checks that every binary column of the
schema is either listed or known to hold no secret (:data:`PLAINTEXT_COLUMNS`), so a new secret
column cannot be forgotten by a rotation.

The steps (docs/operations.md, "Rotating the master key"):

1. a new active key is added to ``<data-dir>/master.key``; the previous one stays as a
   decrypt-only key, so both are accepted everywhere. Nodes that share the file encrypt with the
   new key from their next encryption on (:class:`iamd.server.keys.ReloadingKeyring`);
2. the data set's key check value becomes the new key's: a node started with only the old key
   refuses to serve;
3. passes over every secret column rewrite what the old key sealed, until a pass finds nothing
   left (a row written meanwhile under the old key is caught by the next pass);
4. the old key is retired from the file — unless asked to keep it, e.g. for session tokens
   issued under it that have not expired yet.

With ``IAMD_MASTER_KEY`` the keys come from the environment, which no command can change in
running nodes: nodes are restarted with the new key (and the old one in
``IAMD_MASTER_KEYS_OLD``), then this command re-encrypts; retiring is dropping
``IAMD_MASTER_KEYS_OLD``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iamd.credentials import MasterKeyring, load_keyring, retire_old_keys, rotate_keyfile
from iamd.services.iam.access_keys import secret_context
from iamd.storage.sql import SqlStore
from iamd.storage.sql.reencrypt import ColumnPass, binary_columns, reencrypt_column

__all__ = [
    "PLAINTEXT_COLUMNS",
    "SECRET_COLUMNS",
    "RotationError",
    "RotationReport",
    "reencrypt_secrets",
    "reencrypt_under",
    "rotate_key_file",
]

SecretContext = Callable[[Mapping[str, Any]], bytes]


def _saml_context(row: Mapping[str, Any]) -> bytes:
    settings = json.loads(row["settings"] or "{}")
    return f"iamd/saml-provider/{settings.get('uuid', '')}".encode()


#: Every column that holds a secret encrypted under the master key, and the associated data it
#: was sealed with (the same the service that wrote it uses: services/iam/access_keys.py,
#: mfa_devices.py, server_certificates.py, service_credentials.py, saml_providers.py).
SECRET_COLUMNS: Mapping[tuple[str, str], SecretContext] = {
    ("access_keys", "secret"): lambda row: secret_context(row["id"]),
    ("mfa_devices", "seed"): lambda row: f"iamd/mfa-seed/{row['serial_number']}".encode(),
    ("server_certificates", "private_key"): (
        lambda row: f"iamd/server-certificate/{row['id']}".encode()
    ),
    ("service_specific_credentials", "secret"): (
        lambda row: f"iamd/service-credential/{row['id']}".encode()
    ),
    ("saml_providers", "private_keys"): _saml_context,
}

#: Binary columns that hold no secret (credential reports are plain CSV).
PLAINTEXT_COLUMNS = frozenset({("reports", "content")})

_MAX_PASSES = 10


class RotationError(Exception):
    """The rotation could not finish; the old key is kept, and running again resumes."""


@dataclass(frozen=True, slots=True)
class RotationReport:
    active_key_id: str
    passes: tuple[tuple[ColumnPass, ...], ...]
    retired: bool

    @property
    def rewritten(self) -> int:
        return sum(column.rewritten for one in self.passes for column in one)

    def rewritten_in(self, table: str, column: str) -> int:
        return sum(
            c.rewritten
            for one in self.passes
            for c in one
            if (c.table, c.column) == (table, column)
        )


def _check_registry() -> None:
    unknown = [
        column
        for column in binary_columns()
        if column not in SECRET_COLUMNS and column not in PLAINTEXT_COLUMNS
    ]
    if unknown:
        raise RotationError(
            f"binary columns {unknown} are neither known secrets nor known plaintext: this "
            "iamd cannot rotate them (add them to iamd.server.rekey)"
        )


def reencrypt_secrets(
    store: SqlStore, keyring: MasterKeyring
) -> tuple[tuple[ColumnPass, ...], ...]:
    """Passes over every secret column until one finds nothing sealed by another key than
    ``keyring``'s active one. Raises :class:`RotationError` for a secret no key opens."""
    _check_registry()
    passes = []
    for _ in range(_MAX_PASSES):
        one = tuple(
            reencrypt_column(store.engine, table, column, _recrypt(keyring, context))
            for (table, column), context in SECRET_COLUMNS.items()
        )
        passes.append(one)
        failed = [f"{c.table}.{c.column} {key}" for c in one for key in c.failed]
        if failed:
            raise RotationError(
                f"{len(failed)} secret(s) could not be decrypted with the keys held "
                f"(first: {failed[0]}); nothing was retired"
            )
        if not any(c.rewritten or c.changed_meanwhile for c in one):
            return tuple(passes)
    raise RotationError(
        f"secrets were still being written under an old key after {_MAX_PASSES} passes: "
        "is a node running with its own copy of the old key file? Run again once every node "
        "has the new key"
    )


def _recrypt(
    keyring: MasterKeyring, context: SecretContext
) -> Callable[[Mapping[str, Any], bytes], bytes | None]:
    def recrypt(row: Mapping[str, Any], blob: bytes) -> bytes | None:
        if not keyring.needs_rotation(blob):
            return None
        return keyring.reencrypt(blob, context=context(row))

    return recrypt


def rotate_key_file(
    store: SqlStore,
    data_dir: Path,
    *,
    check_setting: str,
    new_key: bool = True,
    retire: bool = True,
    settle_seconds: float = 2.0,
) -> RotationReport:
    """Steps 1-4 of the module docstring on ``<data_dir>/master.key``.

    ``settle_seconds`` lets writes that nodes began just before the key file changed commit
    before the first pass; later ones are caught by the next pass anyway.
    """
    _check_registry()
    if new_key:
        keyring = rotate_keyfile(data_dir)
        store.put_setting(check_setting, keyring.key_check_value())
        time.sleep(settle_seconds)
    else:
        keyring = load_keyring(data_dir, {})  # its active key may be one put there by hand
        store.put_setting(check_setting, keyring.key_check_value())
    passes = reencrypt_secrets(store, keyring)
    if retire and len(keyring.key_ids) > 1:
        retire_old_keys(data_dir)
    return RotationReport(keyring.active_key_id, passes, retire)


def reencrypt_under(
    store: SqlStore, keyring: MasterKeyring, *, check_setting: str
) -> RotationReport:
    """Step 2 and 3 for keys given in the environment: ``keyring``'s active key becomes the
    data set's, and every secret is re-encrypted under it."""
    store.put_setting(check_setting, keyring.key_check_value())
    passes = reencrypt_secrets(store, keyring)
    return RotationReport(keyring.active_key_id, passes, False)
