"""What ``iamd backup``, ``iamd restore``, ``iamd rotate-master-key`` and ``iamd migrate`` do,
on a data set that nodes may be serving at the time (docs/operations.md)."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import io
import os
import secrets
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TextIO

from iamd.credentials import ENV_MASTER_KEY, KEY_FILE_NAME, MasterKeyring, load_keyring
from iamd.server.bootstrap import MASTER_KEY_CHECK_SETTING, open_data
from iamd.server.config import ServerConfig
from iamd.server.rekey import RotationReport, reencrypt_under, rotate_key_file
from iamd.storage.sql import (
    check_schema,
    current_revision,
    head_revision,
    make_engine,
    sqlite_url,
    startup_lock,
    upgrade,
)
from iamd.storage.sql.backup import BackupError, BackupSummary, restore_backup, write_backup

__all__ = ["backup", "migrate", "restore", "rotate_master_key"]


def _url(config: ServerConfig) -> str:
    return config.database_url or sqlite_url(config.data_dir)


def migrate(config: ServerConfig) -> tuple[str | None, str]:
    """Upgrade the schema to this iamd's newest revision; returns (before, after)."""
    config.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = make_engine(_url(config))
    try:
        with startup_lock(engine, config.data_dir):
            before = current_revision(engine)
            upgrade(engine)
        return before, head_revision()
    finally:
        engine.dispose()


def backup(config: ServerConfig, destination: str, *, now: dt.datetime) -> BackupSummary:
    """Write a snapshot of the data set to ``destination`` (a path; ``.gz`` compresses; ``-``
    is standard output). The file appears complete or not at all."""
    if not config.database_url and not (config.data_dir / "iamd.sqlite3").exists():
        raise BackupError(f"there is no data set in {config.data_dir}")
    engine = make_engine(_url(config), pool_size=1)
    try:
        with _output(destination) as out:
            return write_backup(engine, out, now=now)
    finally:
        engine.dispose()


def restore(
    config: ServerConfig, env: Mapping[str, str], source: str, *, replace: bool = False
) -> BackupSummary:
    """Restore a backup into the configured database (made if empty). The master key must be
    the backed-up data set's: ``IAMD_MASTER_KEY``, or its ``master.key`` in the data directory
    (never made here: a new key could not open the backup's secrets)."""
    keyring = _existing_keyring(config.data_dir, env)
    config.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = make_engine(_url(config), pool_size=1)
    try:
        with startup_lock(engine, config.data_dir):
            check_schema(engine, create_if_empty=True)
            with _input(source) as lines:
                return restore_backup(
                    engine,
                    lines,
                    replace=replace,
                    accept_master_key=lambda check: check is None or keyring.recognizes(check),
                )
    finally:
        engine.dispose()


def rotate_master_key(
    config: ServerConfig,
    env: Mapping[str, str],
    *,
    new_key: bool = True,
    retire: bool = True,
    settle_seconds: float = 2.0,
) -> RotationReport:
    """Re-encrypt every stored secret under a new master key while nodes serve
    (:mod:`iamd.server.rekey`)."""
    opened = open_data(config, env, create=False)  # refuses a key that does not open the data
    try:
        if env.get(ENV_MASTER_KEY, "").strip():
            return reencrypt_under(
                opened.store, opened.keyring, check_setting=MASTER_KEY_CHECK_SETTING
            )
        return rotate_key_file(
            opened.store,
            config.data_dir,
            check_setting=MASTER_KEY_CHECK_SETTING,
            new_key=new_key,
            retire=retire,
            settle_seconds=settle_seconds,
        )
    finally:
        opened.store.close()


def _existing_keyring(data_dir: Path, env: Mapping[str, str]) -> MasterKeyring:
    if not env.get(ENV_MASTER_KEY, "").strip() and not (data_dir / KEY_FILE_NAME).exists():
        raise BackupError(
            f"no master key: set {ENV_MASTER_KEY}, or put the backed-up data set's "
            f"{KEY_FILE_NAME} in {data_dir} (mode 0600)"
        )
    return load_keyring(data_dir, env)


@contextlib.contextmanager
def _output(destination: str) -> Iterator[TextIO]:
    if destination == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(destination)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        with open(fd, "wb") as raw:
            packed = gzip.GzipFile(path.stem, "wb", fileobj=raw) if path.suffix == ".gz" else None
            text = io.TextIOWrapper(packed if packed is not None else raw, "utf-8", newline="\n")
            yield text
            text.flush()
            text.detach()
            if packed is not None:
                packed.close()  # writes the gzip trailer; leaves ``raw`` open
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temp, path)  # complete, or not there at all
        _fsync(path.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _input(source: str) -> Iterator[TextIO]:
    if source == "-":
        yield sys.stdin
        return
    path = Path(source)
    try:
        raw = path.open("rb")
    except OSError as err:
        raise BackupError(f"cannot read {path}: {err.strerror}") from None
    with raw:
        if path.suffix == ".gz":
            with (
                gzip.GzipFile(fileobj=raw, mode="rb") as packed,
                io.TextIOWrapper(packed, encoding="utf-8") as text,
            ):
                yield text
        else:
            with io.TextIOWrapper(raw, encoding="utf-8") as text:
                yield text
