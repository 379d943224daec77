"""Group commit on SQLite (iamd.server.writer): concurrent writes share commits, each request
still succeeds or fails alone, and a batch that cannot be committed is answered
ServiceUnavailable with nothing stored."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from iamd.server import ServerConfig, first_start, open_data
from iamd.server.app import build_app
from iamd.server.endpoint import IamdApp
from iamd.storage import StoreUnavailable

KEY = ("AKIAIOSFODNN7GROUPCOM", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYGROUPCOMMIT")
ENV = {
    "IAMD_ROOT_ACCESS_KEY_ID": KEY[0],
    "IAMD_ROOT_SECRET_ACCESS_KEY": KEY[1],
    "IAMD_ACCOUNT_ID": "123456789012",
}


@pytest.fixture
def app(tmp_path: Path) -> Iterator[IamdApp]:
    config = ServerConfig(data_dir=tmp_path / "data", audit_log=str(tmp_path / "audit.log"))
    opened = open_data(config, ENV)
    first_start(opened, config, ENV)
    built = build_app(opened, config)
    yield built
    built.state.audit.close()
    opened.store.close()


async def _call(app: IamdApp, action: str, **params: str) -> tuple[int, str]:
    body = urlencode({"Action": action, "Version": "2010-05-08", **params}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    request = AWSRequest(method="POST", url="http://127.0.0.1:9400/", data=body, headers=headers)
    SigV4Auth(Credentials(*KEY), "iam", "us-east-1").add_auth(request)
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1:9400")]
        + [(k.lower().encode(), v.encode()) for k, v in request.headers.items()],
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], sent[1]["body"].decode()


def _users(app: IamdApp) -> set[str]:
    status, body = asyncio.run(_call(app, "ListUsers", MaxItems="1000"))
    assert status == 200
    return set(re.findall(r"<UserName>(.*?)</UserName>", body))


def test_concurrent_writes_share_commits(app: IamdApp) -> None:
    async def burst() -> list[tuple[int, str]]:
        return await asyncio.gather(
            *(_call(app, "CreateUser", UserName=f"u{i}") for i in range(40))
        )

    answers = asyncio.run(burst())
    assert [status for status, _ in answers] == [200] * 40
    assert _users(app) == {f"u{i}" for i in range(40)}
    writer = app.endpoint._writer
    assert writer is not None
    assert writer.requests >= 40
    assert writer.batches < writer.requests  # some commits carried several requests


def test_a_failing_request_fails_alone(app: IamdApp) -> None:
    async def burst() -> list[tuple[int, str]]:
        return list(
            await asyncio.gather(
                _call(app, "CreateUser", UserName="twin"),
                _call(app, "CreateUser", UserName="twin"),
                _call(app, "CreateUser", UserName="bad name"),
                _call(app, "CreateUser", UserName="other"),
            )
        )

    statuses = sorted(status for status, _ in asyncio.run(burst()))
    assert statuses == [200, 200, 400, 409]
    assert _users(app) == {"twin", "other"}


def test_a_batch_that_cannot_be_committed_stores_nothing(
    app: IamdApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = app.state.opened.store
    real = store.write_batch

    @contextlib.contextmanager
    def failing() -> Iterator[None]:
        with real():
            yield
            raise StoreUnavailable("disk I/O error")  # as if the commit had failed

    monkeypatch.setattr(store, "write_batch", failing)
    status, body = asyncio.run(_call(app, "CreateUser", UserName="lost"))
    assert status == 503
    assert "<Code>ServiceUnavailable</Code>" in body
    monkeypatch.setattr(store, "write_batch", real)
    assert "lost" not in _users(app)
