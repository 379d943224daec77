"""Fixtures: one real ``iamd serve`` per test session (per xdist worker), a fresh account per
test so tests never see each other's entities."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from iamd_testkit import Account, AccountMaker, Server, running_server


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("iamd")) as running:
        yield running


@pytest.fixture(scope="session")
def make_account(server: Server) -> Iterator[AccountMaker]:
    maker = AccountMaker(server)
    yield maker
    maker.close()


@pytest.fixture
def account(make_account: AccountMaker) -> Account:
    return make_account()
