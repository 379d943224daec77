"""Fixtures: one real ``iamd serve`` per test session (per xdist worker) and per backend, a fresh
account per test so tests never see each other's entities.

Every test that uses ``server``, ``account`` or ``make_account`` runs twice: on SQLite
(``[sqlite]``) and on PostgreSQL (``[postgresql]``), each xdist worker on a database of its own
made from ``IAMD_TEST_DATABASE_URL``. Without that variable (or without a reachable PostgreSQL)
the PostgreSQL runs are skipped with a message saying how to enable them. ``-m "not postgres"``
deselects them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from iamd_testkit import (
    BACKENDS,
    POSTGRES_URL_VARIABLE,
    Account,
    AccountMaker,
    Backend,
    PostgresDatabases,
    Server,
    postgres_unavailable_reason,
    running_server,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the PostgreSQL half of the suite ``postgres`` (so ``-m "not postgres"`` works), and
    skip every ``postgres`` test, saying how to run it, when PostgreSQL is not available."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("backend") == "postgresql":
            item.add_marker(pytest.mark.postgres)
        if item.get_closest_marker("postgres") is not None:
            unavailable = postgres_unavailable_reason()
            if unavailable:
                item.add_marker(pytest.mark.skip(reason=unavailable))


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases | None]:
    """This process's PostgreSQL databases (None when PostgreSQL is not available); every one
    made is dropped at the end of the session."""
    if postgres_unavailable_reason() is not None:
        yield None
        return
    databases = PostgresDatabases(os.environ[POSTGRES_URL_VARIABLE])
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def postgres(postgres_databases: PostgresDatabases | None) -> PostgresDatabases:
    """PostgreSQL databases, for the tests that only make sense on PostgreSQL (several nodes on
    one database); mark those tests ``postgres``."""
    if postgres_databases is None:
        pytest.skip(postgres_unavailable_reason() or "PostgreSQL unavailable")
    return postgres_databases


@pytest.fixture(scope="session", params=BACKENDS)
def backend(
    request: pytest.FixtureRequest, postgres_databases: PostgresDatabases | None
) -> Backend:
    """The storage backend a test runs on: every test that asks for it runs on each."""
    if request.param == "sqlite":
        return Backend("sqlite")
    if postgres_databases is None:
        pytest.skip(postgres_unavailable_reason() or "PostgreSQL unavailable")
    return Backend("postgresql", postgres_databases)


@pytest.fixture(scope="session")
def server(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp(f"iamd-{backend.name}")
    with running_server(tmp, database_url=backend.database_url("server")) as running:
        yield running


@pytest.fixture(scope="session")
def make_account(server: Server) -> Iterator[AccountMaker]:
    maker = AccountMaker(server)
    yield maker
    maker.close()


@pytest.fixture
def account(make_account: AccountMaker) -> Account:
    return make_account()
