"""A cache entry is never older than the account version it is labelled with, even when another
node commits between the reads that fill it (the interleaving is forced, not hoped for)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from iamd.domain import KeyStatus
from iamd.server import Opened, ServerConfig, open_data
from iamd.services import Authenticator, create_account
from iamd.storage import UnitOfWork
from iamd_testkit import Backend, PostgresDatabases


class _KeysThen:
    """``uow.access_keys`` whose first ``get`` runs ``then`` (another node's write) after it
    has read the key."""

    def __init__(self, keys: Any, then: Callable[[], None]) -> None:
        self._keys = keys
        self._then: Callable[[], None] | None = then

    def get(self, access_key_id: str) -> Any:
        found = self._keys.get(access_key_id)
        if self._then is not None:
            then, self._then = self._then, None
            then()
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._keys, name)


class _Interleaved:
    def __init__(self, uow: Any, then: Callable[[], None]) -> None:
        self._uow = uow
        self.access_keys = _KeysThen(uow.access_keys, then)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uow, name)


def _opened(tmp: Path, url: str | None) -> Iterator[Opened]:
    opened = open_data(ServerConfig(data_dir=tmp / "data", database_url=url), {})
    try:
        yield opened
    finally:
        opened.store.close()


@pytest.fixture
def data_set(backend: Backend, tmp_path: Path) -> Iterator[Opened]:
    yield from _opened(tmp_path, backend.database_url("coherence"))


@pytest.fixture
def pg_data_set(postgres: PostgresDatabases, tmp_path: Path) -> Iterator[Opened]:
    yield from _opened(tmp_path, postgres.create("coherence"))


def _deactivate(opened: Opened, account_id: str, key_id: str) -> Callable[[], None]:
    def write() -> None:
        with opened.store.unit_of_work(write=True) as uow:
            uow.lock_account(account_id)
            uow.access_keys.set_status(key_id, KeyStatus.INACTIVE)

    return write


def _cache_then_check(opened: Opened, *, write: bool) -> None:
    new = create_account(opened.deps)
    key_id = new.root_access_key_id
    authenticator = Authenticator(opened.deps)
    racing = _deactivate(opened, new.account.id, key_id)
    with opened.store.unit_of_work(write=write) as uow:
        authenticator.credential(cast(UnitOfWork, _Interleaved(uow, racing)), key_id)
    with opened.store.unit_of_work() as uow:
        assert authenticator.credential(uow, key_id) is None


def test_a_key_deactivated_while_a_read_request_loads_it_is_refused_next(
    data_set: Opened,
) -> None:
    _cache_then_check(data_set, write=False)


@pytest.mark.postgres
def test_a_key_deactivated_while_a_write_request_loads_it_is_refused_next(
    pg_data_set: Opened,
) -> None:
    # Write requests run in READ COMMITTED on PostgreSQL: each statement sees the newest commit.
    _cache_then_check(pg_data_set, write=True)
