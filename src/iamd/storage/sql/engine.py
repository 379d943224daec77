"""Engines for SQLite (embedded, the default) and PostgreSQL (several nodes, one data set).

Both backends give the same guarantees (docs/storage.md):

- **A read request sees one snapshot.** SQLite: a deferred ``BEGIN`` in WAL mode reads one
  snapshot from its first statement. PostgreSQL: ``REPEATABLE READ``. A cache entry labelled
  with the account's change counter therefore never holds data older than its label.
- **Writers of one account are serialised.** Every write transaction starts by bumping the
  account's change counter (``SqlUnitOfWork.lock_account``): SQLite takes the database's write
  lock at ``BEGIN IMMEDIATE``; PostgreSQL runs writes in ``READ COMMITTED``, where the
  ``UPDATE accounts`` row lock makes a second writer of the account wait, and every statement
  after it sees what the first one committed — so the quota counts and existence checks that
  follow are race-free.
- **An acknowledged commit is durable.** SQLite runs in WAL mode with ``synchronous=FULL``: the
  WAL is fsync'ed at every commit, so neither ``kill -9`` nor a power cut loses one (NORMAL
  would survive ``kill -9`` but not a power cut; docs/storage.md has the measured cost).
  PostgreSQL's own ``synchronous_commit`` (on by default) does the same.

A lost PostgreSQL connection surfaces as ``OperationalError`` (the store answers
``StoreUnavailable``, the server ``ServiceUnavailable``); the pool checks connections before
use (``pool_pre_ping``) and SQLAlchemy drops the whole pool on a disconnect, so service resumes
by itself once PostgreSQL is back. ``connect_timeout`` and ``pool_timeout`` bound how long a
request waits for a database that does not answer.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import ConnectionPoolEntry

__all__ = [
    "DATABASE_FILE",
    "DEFAULT_POOL_SIZE",
    "SQLITE_SYNCHRONOUS",
    "is_postgresql",
    "make_engine",
    "sqlite_url",
    "startup_lock",
]

DATABASE_FILE = "iamd.sqlite3"
"""The SQLite database's name in the data directory."""

SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_SYNCHRONOUS = ("FULL", "NORMAL")
DEFAULT_POOL_SIZE = 16
#: Seconds a request waits for a pooled connection, and for PostgreSQL to accept a new one,
#: before it is answered ServiceUnavailable.
POOL_TIMEOUT_S = 10
CONNECT_TIMEOUT_S = 5
#: The pg_advisory_lock key held while a node migrates the schema and loads its data at startup
#: (an arbitrary constant; advisory locks are per database).
_STARTUP_LOCK_KEY = 0x3A8D_5E1F_02C4_7B69


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / DATABASE_FILE).resolve()}"


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def make_engine(
    url: str, *, pool_size: int = DEFAULT_POOL_SIZE, sqlite_synchronous: str = "FULL"
) -> Engine:
    """The engine for ``url``: SQLite (``sqlite:///path``) or PostgreSQL (``postgresql+psycopg``).

    ``pool_size`` connections are kept open per process, and as many again may be opened under
    load; with several nodes and workers, keep ``nodes * workers * 2 * pool_size`` under
    PostgreSQL's ``max_connections`` (docs/operations.md).
    """
    if pool_size < 1:
        raise ValueError("pool_size must be at least 1")
    if make_url(url).get_backend_name() == "sqlite":
        if sqlite_synchronous not in SQLITE_SYNCHRONOUS:
            raise ValueError(f"sqlite_synchronous must be one of {SQLITE_SYNCHRONOUS}")
        return _sqlite_engine(url, pool_size, sqlite_synchronous)
    return _postgresql_engine(url, pool_size)


def _postgresql_engine(url: str, pool_size: int) -> Engine:
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=POOL_TIMEOUT_S,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "iamd",
            # A peer that vanished without closing (network partition, host down) is noticed
            # within about a minute instead of the kernel's two hours.
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        },
    )

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get("iamd_write"):
            return  # READ COMMITTED, the server's default: see the module docstring
        if options.get("iamd_read_only"):
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        else:
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    return engine


def _sqlite_engine(url: str, pool_size: int, synchronous: str) -> Engine:
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
        # Take transaction control away from the sqlite3 module: we emit BEGIN ourselves.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("iamd_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            # A read's BEGIN takes no lock and cannot wait: straight to the driver (Core's
            # statement machinery costs more than the statement; docs/benchmarks.md).
            driver: Any = conn.connection.dbapi_connection
            driver.execute("BEGIN")

    return engine


@contextlib.contextmanager
def startup_lock(engine: Engine, data_dir: Path) -> Iterator[None]:
    """Held while a node migrates the schema and loads its data: nodes starting at once on one
    empty database take turns instead of racing to create the same tables.

    PostgreSQL: a session-level advisory lock. SQLite: an exclusive ``flock`` on
    ``<data_dir>/startup.lock`` (SQLite data sets live on one machine).
    """
    if is_postgresql(engine):
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _STARTUP_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _STARTUP_LOCK_KEY})
                conn.commit()
        return
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(data_dir / "startup.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
