"""A server of its own for the audit tests (per backend): last-used data stored every 0.2 s, and
the audit log in its data directory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from iamd_testkit import Account, AccountMaker, Backend, Server, running_server


@pytest.fixture(scope="session")
def audited(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp(f"audited-{backend.name}")
    with running_server(
        tmp,
        extra_env={"IAMD_USAGE_FLUSH_SECONDS": "0.2"},
        database_url=backend.database_url("audited"),
    ) as running:
        yield running


@pytest.fixture(scope="session")
def audited_accounts(audited: Server) -> Iterator[AccountMaker]:
    maker = AccountMaker(audited)
    yield maker
    maker.close()


@pytest.fixture
def acct(audited_accounts: AccountMaker) -> Account:
    """A fresh account on the audited server."""
    return audited_accounts()
