"""Shared test machinery: a real ``iamd serve`` on a loopback port, accounts made in its data
set, and real clients (boto3 and the AWS CLI) pointed at it."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

ROOT_KEY_ID = "AKIAIOSFODNN7TESTKEY"
ROOT_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYTESTSECRET"
DEFAULT_ACCOUNT = "123456789012"

CLIENT_CONFIG = Config(retries={"max_attempts": 1, "mode": "standard"}, parameter_validation=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# -- backends ------------------------------------------------------------------------------------

POSTGRES_URL_VARIABLE = "IAMD_TEST_DATABASE_URL"
"""A PostgreSQL URL whose user may CREATE DATABASE (`.ci/run` sets it); the suite makes one
database per xdist worker and per standalone server from it, and drops them at the end."""

BACKENDS = ("sqlite", "postgresql")

_HOW_TO_RUN_POSTGRES = (
    f"set {POSTGRES_URL_VARIABLE} to a PostgreSQL URL whose user may create databases, e.g. "
    f"{POSTGRES_URL_VARIABLE}=postgresql+psycopg://postgres@127.0.0.1:5432/test "
    "(.ci/run sets it)"
)


@functools.cache
def postgres_unavailable_reason() -> str | None:
    """Why the PostgreSQL half of the suite cannot run here, or None when it can."""
    url = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if not url:
        return f"PostgreSQL tests skipped: {_HOW_TO_RUN_POSTGRES}"
    try:
        import psycopg

        with psycopg.connect(_libpq_url(url), connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except Exception as err:
        return f"PostgreSQL tests skipped: cannot connect to {url} ({err}); {_HOW_TO_RUN_POSTGRES}"
    return None


def _libpq_url(url: str) -> str:
    """The plain libpq form of a SQLAlchemy URL (postgresql+psycopg:// -> postgresql://)."""
    scheme, rest = url.split("://", 1)
    return f"{scheme.split('+', 1)[0]}://{rest}"


class PostgresDatabases:
    """Databases made for one test process from the admin URL, each name unique to this run and
    worker so that concurrent runs and xdist workers never share a schema."""

    def __init__(self, admin_url: str) -> None:
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8] or uuid.uuid4().hex[:8]
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self._admin_url = admin_url
        self._prefix = f"iamd_t_{run}_{worker}"
        self._made: list[str] = []

    def create(self, label: str) -> str:
        """A new, empty database; returns its SQLAlchemy URL."""
        import psycopg
        from psycopg import sql

        name = f"{self._prefix}_{label}_{len(self._made)}"[:63]
        with psycopg.connect(_libpq_url(self._admin_url), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self._made.append(name)
        scheme_and_server = self._admin_url.rsplit("/", 1)[0]
        return f"{scheme_and_server}/{name}"

    def drop_all(self) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(_libpq_url(self._admin_url), autocommit=True) as conn:
            for name in self._made:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
        self._made.clear()


@dataclass
class Backend:
    """Where a test's servers keep their data: SQLite files, or fresh PostgreSQL databases."""

    name: str
    databases: PostgresDatabases | None = None

    def database_url(self, label: str = "db") -> str | None:
        """A fresh data set's URL: None for SQLite (the data directory's file), else a new
        PostgreSQL database."""
        if self.databases is None:
            return None
        return self.databases.create(label)


@dataclass
class Server:
    """A running ``iamd serve`` process."""

    data_dir: Path
    port: int
    env: dict[str, str]
    database_url: str | None
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    serve_args: tuple[str, ...] = ()
    """More arguments for ``iamd serve`` (e.g. ``("--workers", "3")``)."""

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        """Start ``iamd serve`` and wait until it answers. Another process may take the port
        between :func:`free_port` and the server's bind (many servers start at once under
        xdist): the server then exits with "address already in use", and it is started again
        on another port."""
        for _ in range(5):
            if self._start_once(timeout):
                return
            self.port = free_port()
        raise RuntimeError(f"iamd serve found no free port: {self.log()}")

    def _start_once(self, timeout: float) -> bool:
        args = [
            sys.executable,
            "-m",
            "iamd",
            "serve",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
        ]
        if self.database_url:
            args += ["--database-url", self.database_url]
        args += self.serve_args
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        self.log_path = self.data_dir.parent / f"server-{self.port}.log"
        with self.log_path.open("ab") as log:
            written_before = log.tell()
            self.process = subprocess.Popen(
                args, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if "address already in use" in self.log()[written_before:]:
                    return False
                raise RuntimeError(f"iamd serve exited: {self.log()}")
            try:
                with urllib.request.urlopen(f"{self.endpoint}/healthz", timeout=1) as reply:
                    # The answer must come from this server, not one that took the port first.
                    if reply.status == 200 and _listens(self.process.pid, self.port):
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"iamd serve did not start: {self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def iamd(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Runs the ``iamd`` command against this server's data set."""
        command = [sys.executable, "-m", "iamd", *args, "--data-dir", str(self.data_dir)]
        if self.database_url:
            command += ["--database-url", self.database_url]
        return subprocess.run(
            command, env=self.env, capture_output=True, text=True, check=check, timeout=120
        )


def _listens(pid: int, port: int) -> bool:
    """Whether process ``pid`` holds the socket listening on 127.0.0.1:``port`` (Linux: from
    /proc; elsewhere assumed)."""
    try:
        table = Path("/proc/net/tcp").read_text().splitlines()[1:]
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return True
    inodes = set()
    for line in table:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
            inodes.add(f"socket:[{fields[9]}]")
    for fd in fds:
        try:
            if os.readlink(fd) in inodes:
                return True
        except OSError:
            continue
    return False


def server_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "IAMD_"))}
    env.update(
        {
            "IAMD_ROOT_ACCESS_KEY_ID": ROOT_KEY_ID,
            "IAMD_ROOT_SECRET_ACCESS_KEY": ROOT_SECRET,
            "IAMD_ACCOUNT_ID": DEFAULT_ACCOUNT,
        }
    )
    env.update(extra or {})
    return env


@dataclass(frozen=True)
class Account:
    """An account in the server's data set, with its root user's key."""

    server: Server
    id: str
    root_key_id: str
    root_secret: str

    def client(
        self,
        service: str,
        key_id: str | None = None,
        secret: str | None = None,
        token: str | None = None,
    ) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.server.endpoint,
            region_name="us-east-1",
            aws_access_key_id=key_id or self.root_key_id,
            aws_secret_access_key=secret or self.root_secret,
            aws_session_token=token,
            config=CLIENT_CONFIG,
        )

    def iam(self, key_id: str | None = None, secret: str | None = None) -> Any:
        return self.client("iam", key_id, secret)

    def sts(self, key_id: str | None = None, secret: str | None = None) -> Any:
        return self.client("sts", key_id, secret)


def new_account_by_cli(server: Server) -> Account:
    """An account made with ``iamd account create`` while the server runs."""
    result = server.iamd("account", "create")
    data = json.loads(result.stdout)
    return Account(server, data["AccountId"], data["RootAccessKeyId"], data["RootSecretAccessKey"])


class AccountMaker:
    """Makes accounts in a running server's data set from the test process: the same service
    function ``iamd account create`` calls, without a process start per test."""

    def __init__(self, server: Server) -> None:
        from iamd.server import ServerConfig, open_data

        self._server = server
        config = ServerConfig(data_dir=server.data_dir, database_url=server.database_url)
        self._opened = open_data(config, server.env, create=False)

    def __call__(self) -> Account:
        from iamd.services import create_account

        new = create_account(self._opened.deps)
        return Account(
            self._server, new.account.id, new.root_access_key_id, new.root_secret_access_key
        )

    def version(self, account_id: str) -> int | None:
        """The account's change counter, as the server's caches compare it."""
        with self._opened.store.unit_of_work() as uow:
            return uow.accounts.version(account_id)

    def close(self) -> None:
        self._opened.store.close()


def aws_cli(
    account: Account, *args: str, key_id: str | None = None, secret: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Runs the real AWS CLI (the ``awscli`` package) against the server; output as JSON."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        {
            "AWS_ACCESS_KEY_ID": key_id or account.root_key_id,
            "AWS_SECRET_ACCESS_KEY": secret or account.root_secret,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_MAX_ATTEMPTS": "1",
        }
    )
    command = [
        sys.executable,
        "-m",
        "awscli",
        *args,
        "--endpoint-url",
        account.server.endpoint,
        "--output",
        "json",
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@contextlib.contextmanager
def running_server(
    tmp: Path, extra_env: Mapping[str, str] | None = None, database_url: str | None = None
) -> Iterator[Server]:
    """A started server on a fresh data directory (SQLite unless ``database_url`` is given)."""
    server = Server(tmp / "data", free_port(), server_env(extra_env), database_url)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class AwsErrorSeen:
    code: str
    message: str
    status: int
    type: str


def aws_error(call: Any, *args: Any, **kwargs: Any) -> AwsErrorSeen:
    """Calls a boto3 client method that must fail; returns the AWS error it answered."""
    from botocore.exceptions import ClientError

    try:
        call(*args, **kwargs)
    except ClientError as err:
        error = err.response["Error"]
        return AwsErrorSeen(
            error["Code"],
            error.get("Message", ""),
            err.response["ResponseMetadata"]["HTTPStatusCode"],
            error.get("Type", ""),
        )
    raise AssertionError(f"{call} succeeded but was expected to fail")
