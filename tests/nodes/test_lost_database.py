"""A node whose PostgreSQL goes away answers ``ServiceUnavailable`` (503), and serves again by
itself as soon as PostgreSQL is back — no restart.

The test runs a PostgreSQL of its own (``initdb`` and ``pg_ctl`` in a temporary directory, on
a free port) so that it can stop and start it; the machine's PostgreSQL is never touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from iamd_nodes import node

from iamd_testkit import (
    DEFAULT_ACCOUNT,
    ROOT_KEY_ID,
    ROOT_SECRET,
    Account,
    aws_error,
    free_port,
    server_env,
)

pytestmark = pytest.mark.postgres


def _bin_dir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


@dataclass
class OwnPostgres:
    """A throw-away PostgreSQL cluster this test may stop and start."""

    bin_dir: Path
    root: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.root / "data"), "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.root / "data"), "-o", options, "-l",
            str(self.root / "log"), "-w", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", mode, "-w", "stop")


@pytest.fixture
def own_postgres() -> Iterator[OwnPostgres]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    root = Path(tempfile.mkdtemp(prefix="iamd-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres")
    cluster = OwnPostgres(bin_dir, root, free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def test_a_lost_database_is_service_unavailable_until_it_comes_back(
    own_postgres: OwnPostgres, tmp_path: Path
) -> None:
    server = node(tmp_path, "node", own_postgres.url, server_env())
    server.start()
    root = Account(server, DEFAULT_ACCOUNT, ROOT_KEY_ID, ROOT_SECRET)
    try:
        iam = root.iam()
        iam.create_user(UserName="before")
        assert root.sts().get_caller_identity()["Account"] == DEFAULT_ACCOUNT
        own_postgres.stop()
        for refused in (
            aws_error(root.sts().get_caller_identity),
            aws_error(iam.create_user, UserName="during"),
            aws_error(iam.get_user, UserName="before"),
        ):
            assert (refused.code, refused.status) == ("ServiceUnavailable", 503)
        assert server.process is not None and server.process.poll() is None
        own_postgres.start()
        # The very first request after PostgreSQL is back is served: no restart, no retry.
        assert iam.get_user(UserName="before")["User"]["UserName"] == "before"
        iam.create_user(UserName="after")
        assert aws_error(iam.get_user, UserName="during").code == "NoSuchEntity"
    finally:
        server.stop()
