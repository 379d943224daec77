"""Opening a data set: the data directory, the master key, the store with its schema and the AWS
managed policies, and on the very first start the default account with its root access key."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from iamd.clock import Clock, SystemClock
from iamd.credentials import MasterKeyring
from iamd.ids import IdFactory, RandomIds
from iamd.server.config import ServerConfig
from iamd.server.keys import node_keyring
from iamd.services import Deps, create_account
from iamd.services.sts.oidc_jwks import federation_keys
from iamd.storage.sql import (
    DATABASE_FILE,
    SqlStore,
    check_schema,
    load_aws_managed_policies,
    make_engine,
    sqlite_url,
    startup_lock,
)

__all__ = [
    "MASTER_KEY_CHECK_SETTING",
    "ROOT_CREDENTIALS_FILE",
    "KeyMismatch",
    "Opened",
    "first_start",
    "open_data",
]

ROOT_CREDENTIALS_FILE = "root-credentials"
_BOOTSTRAPPED = "bootstrapped"
MASTER_KEY_CHECK_SETTING = "master_key_check"
"""The ``meta`` setting that holds the check value of the data set's active master key."""
_POOL_SIZE_VARIABLE = "IAMD_DATABASE_POOL_SIZE"


class KeyMismatch(Exception):
    """The master key does not open this data set."""


@dataclass(frozen=True, slots=True)
class Opened:
    deps: Deps
    store: SqlStore
    keyring: MasterKeyring


def open_data(
    config: ServerConfig,
    env: Mapping[str, str],
    *,
    clock: Clock | None = None,
    ids: IdFactory | None = None,
    create: bool = True,
) -> Opened:
    data_dir = config.data_dir
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    keyring = node_keyring(data_dir, env)
    url = config.database_url or sqlite_url(data_dir)
    if config.database_url is None:
        _private_file(data_dir / DATABASE_FILE)
    engine = make_engine(url, pool_size=_pool_size(config, env))
    store = SqlStore(engine)
    try:
        # Nodes starting at once on one empty database take turns (docs/storage.md).
        with startup_lock(engine, data_dir):
            check_schema(engine, create_if_empty=create)
            if load_aws_managed_policies(engine):
                # New AWS managed policy documents: principals' policies cached by nodes that
                # still run must be read again (their caches follow the account versions).
                store.bump_all_account_versions()
            _check_master_key(store, keyring)
    except BaseException:
        engine.dispose()
        raise
    deps = Deps(
        store=store,
        clock=clock or SystemClock(),
        ids=ids or RandomIds(),
        secrets=keyring,
        jwks=federation_keys(env),
    )
    return Opened(deps, store, keyring)


def _pool_size(config: ServerConfig, env: Mapping[str, str]) -> int:
    """Database connections kept per process: ``IAMD_DATABASE_POOL_SIZE``, else the config's."""
    text = env.get(_POOL_SIZE_VARIABLE, "").strip()
    if not text:
        return config.pool_size
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{_POOL_SIZE_VARIABLE} must be a positive integer, not {text!r}")
    return int(text)


def _check_master_key(store: SqlStore, keyring: MasterKeyring) -> None:
    """Records the master key's check value on first use; refuses a key that does not open the
    data set (a node started with another master key against a shared database)."""
    if store.claim_setting(MASTER_KEY_CHECK_SETTING, keyring.key_check_value()):
        return
    stored = store.get_setting(MASTER_KEY_CHECK_SETTING)
    if stored is None or not keyring.recognizes(stored):
        raise KeyMismatch(
            "the master key does not open this data set: start with the master key it was made "
            "with (IAMD_MASTER_KEY or <data-dir>/master.key)"
        )


def first_start(opened: Opened, config: ServerConfig, env: Mapping[str, str]) -> None:
    """On the data set's first start, make the default account and its root access key:
    ``IAMD_ACCOUNT_ID``, ``IAMD_ROOT_ACCESS_KEY_ID`` and ``IAMD_ROOT_SECRET_ACCESS_KEY`` when
    set; otherwise generated, printed once and written to ``<data-dir>/root-credentials``."""
    if not opened.store.claim_setting(_BOOTSTRAPPED, "pending"):
        return  # made before, or by another node starting now
    key_id = env.get("IAMD_ROOT_ACCESS_KEY_ID") or None
    secret = env.get("IAMD_ROOT_SECRET_ACCESS_KEY") or None
    new = create_account(
        opened.deps,
        account_id=env.get("IAMD_ACCOUNT_ID") or None,
        name="default",
        root_access_key_id=key_id,
        root_secret_access_key=secret,
    )
    if key_id is None:
        path = config.data_dir / ROOT_CREDENTIALS_FILE
        _write_private(
            path,
            f"# iamd: root user of account {new.account.id}\n[default]\n"
            f"aws_access_key_id = {new.root_access_key_id}\n"
            f"aws_secret_access_key = {new.root_secret_access_key}\n",
        )
        print(
            f"iamd: created account {new.account.id}; its root access key is\n"
            f"  aws_access_key_id = {new.root_access_key_id}\n"
            f"  aws_secret_access_key = {new.root_secret_access_key}\n"
            f"(shown once; also written to {path}, mode 0600)",
            file=sys.stderr,
            flush=True,
        )
    opened.store.put_setting(_BOOTSTRAPPED, new.account.id)


def _private_file(path: Path) -> None:
    """Creates the SQLite database readable by its owner only (it holds password hashes and
    encrypted secrets); SQLite gives its -wal and -shm files the database file's mode."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
