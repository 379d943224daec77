"""Machinery for the tests of several nodes on one data set: nodes sharing a database and a
master key, accounts seen through any node, and requests fired at once from threads."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import os
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError, EndpointConnectionError

from iamd_testkit import (
    DEFAULT_ACCOUNT,
    ROOT_KEY_ID,
    ROOT_SECRET,
    Account,
    AccountMaker,
    Server,
    free_port,
    server_env,
)


def new_master_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass
class Cluster:
    """Nodes serving one data set: one database, one master key."""

    nodes: list[Server]
    maker: AccountMaker

    def account(self) -> list[Account]:
        """A fresh account, as seen through each node (same id and root key)."""
        made = self.maker()
        return [dataclasses.replace(made, server=node) for node in self.nodes]

    def default_account(self) -> list[Account]:
        return [Account(node, DEFAULT_ACCOUNT, ROOT_KEY_ID, ROOT_SECRET) for node in self.nodes]


def node(
    tmp: Path,
    name: str,
    database_url: str | None,
    env: dict[str, str],
    *,
    data_dir: Path | None = None,
) -> Server:
    """A node (not started) with its own data directory unless ``data_dir`` is shared."""
    return Server(data_dir or tmp / name / "data", free_port(), dict(env), database_url)


@contextlib.contextmanager
def cluster(
    tmp: Path, database_url: str, *, count: int = 2, env: dict[str, str] | None = None
) -> Iterator[Cluster]:
    """``count`` started nodes on ``database_url``, sharing a master key through
    ``IAMD_MASTER_KEY`` (each has its own data directory)."""
    shared = server_env({"IAMD_MASTER_KEY": new_master_key(), **(env or {})})
    nodes = [node(tmp, f"node{i}", database_url, shared) for i in range(count)]
    maker: AccountMaker | None = None
    try:
        for each in nodes:
            each.start()
        maker = AccountMaker(nodes[0])
        yield Cluster(nodes, maker)
    finally:
        if maker is not None:
            maker.close()
        for each in nodes:
            each.stop()


@dataclass(frozen=True)
class Outcome:
    """What one raced call answered: its result, or the AWS error code."""

    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def call(fn: Callable[[], Any]) -> Outcome:
    try:
        return Outcome(value=fn())
    except ClientError as err:
        return Outcome(error=str(err.response["Error"]["Code"]))
    except EndpointConnectionError:
        return Outcome(error="ConnectionError")


def race(count: int, make: Callable[[int], Any]) -> list[Outcome]:
    """Run ``make(0)`` ... ``make(count - 1)`` at once, one thread each, released together by a
    barrier; their outcomes in that order."""
    barrier = threading.Barrier(count)
    outcomes: list[Outcome | None] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        outcomes[index] = call(lambda: make(index))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(o is not None for o in outcomes), "a raced call did not finish"
    return [o for o in outcomes if o is not None]


def codes(outcomes: Sequence[Outcome]) -> dict[str, int]:
    """How many outcomes per answer ("ok" or the error code)."""
    found: dict[str, int] = {}
    for outcome in outcomes:
        key = "ok" if outcome.ok else str(outcome.error)
        found[key] = found.get(key, 0) + 1
    return found


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
