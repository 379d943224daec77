"""Engines for SQLite (embedded, the default) and PostgreSQL.

SQLite runs in WAL mode with ``synchronous=FULL``: every acknowledged commit is on disk before
the response goes out, so neither ``kill -9`` nor a power cut loses it (docs/storage.md).
Writers take the write lock at ``BEGIN IMMEDIATE`` so that a transaction never fails half-way on
lock upgrade; readers never block writers. ``busy_timeout`` lets the ``iamd account`` commands
write while a server runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import ConnectionPoolEntry

__all__ = ["make_engine", "sqlite_url"]

SQLITE_BUSY_TIMEOUT_MS = 30_000


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'iamd.sqlite3').resolve()}"


def make_engine(url: str, *, pool_size: int = 16) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, pool_size)
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_recycle=1800,
    )


def _sqlite_engine(url: str, pool_size: int) -> Engine:
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
        # Take transaction control away from the sqlite3 module: we emit BEGIN ourselves.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("iamd_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine
