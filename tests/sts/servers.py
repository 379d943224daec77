"""Servers the federation tests need beyond the shared one: started with the test clock and
with the test CA as ``IAMD_CA_BUNDLE``, next to a running OpenID issuer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from iamd_testkit import AccountMaker, Server, running_server
from sts.clock import ServerClock, clock_env, server_clock
from sts.oidc_issuer import OidcIssuer, running_issuer
from sts.tls import Tls, make_tls


@dataclass
class Federation:
    server: Server
    accounts: AccountMaker
    issuer: OidcIssuer
    tls: Tls
    clock_file: Path


@pytest.fixture(scope="module")
def federation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Federation]:
    tmp = tmp_path_factory.mktemp("federation")
    tls = make_tls(tmp)
    clock_file = tmp / "clock-offset"
    env = {**clock_env(clock_file), "IAMD_CA_BUNDLE": str(tls.ca_file)}
    with running_issuer(tls) as issuer, running_server(tmp, extra_env=env) as server:
        accounts = AccountMaker(server)
        try:
            yield Federation(server, accounts, issuer, tls, clock_file)
        finally:
            accounts.close()


@pytest.fixture
def fed_clock(federation: Federation, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerClock]:
    with server_clock(federation.clock_file, monkeypatch) as clock:
        yield clock
