"""The SQL store: a unit of work is one connection and one transaction."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from types import TracebackType

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection, Engine, NestedTransaction
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from iamd.storage.repositories import Conflict
from iamd.storage.sql import schema as t
from iamd.storage.sql.access_keys import SqlAccessKeys
from iamd.storage.sql.account_reports import SqlAccountReports
from iamd.storage.sql.account_settings import SqlAccountAliases, SqlAccountSettings
from iamd.storage.sql.accounts import SqlAccounts
from iamd.storage.sql.groups import SqlGroups
from iamd.storage.sql.inline_policies import SqlInlinePolicies
from iamd.storage.sql.instance_profiles import SqlInstanceProfiles
from iamd.storage.sql.login_profiles import SqlLoginProfiles, SqlPasswordPolicies
from iamd.storage.sql.mfa_devices import SqlMfaDevices
from iamd.storage.sql.policies import SqlManagedPolicies
from iamd.storage.sql.providers import SqlOidcProviders, SqlSamlProviders
from iamd.storage.sql.reports import SqlLastAccess, SqlReports
from iamd.storage.sql.roles import SqlRoles
from iamd.storage.sql.server_certificates import SqlServerCertificates
from iamd.storage.sql.service_credentials import SqlServiceCredentials
from iamd.storage.sql.signing_certificates import SqlSigningCertificates
from iamd.storage.sql.ssh_public_keys import SqlSshPublicKeys
from iamd.storage.sql.tags import SqlTags
from iamd.storage.sql.users import SqlUsers
from iamd.storage.unit_of_work import AccountGone, StoreUnavailable

__all__ = ["SqlStore", "SqlUnitOfWork"]

#: PostgreSQL SQLSTATEs of a transaction the server gave up on because of a concurrent one
#: (serialization_failure, deadlock_detected): running it again is safe, so the store reports
#: them as a Conflict, which the request pipeline retries once.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def _retryable(err: DBAPIError) -> bool:
    return getattr(err.orig, "sqlstate", None) in _RETRYABLE_SQLSTATES


_KEPT_READERS = 4
"""Threads that may keep a read connection (the event loop's, and a few others)."""

# Every write request runs it: built once.
_LOCK_ACCOUNT = (
    update(t.accounts)
    .where(t.accounts.c.id == bindparam("b_id"))
    .values(version=t.accounts.c.version + 1)
    .returning(t.accounts.c.version)
)
# The same row lock, the counter left as it is (PostgreSQL locks the row on any UPDATE).
_LOCK_ACCOUNT_ONLY = (
    update(t.accounts)
    .where(t.accounts.c.id == bindparam("b_id"))
    .values(version=t.accounts.c.version)
    .returning(t.accounts.c.version)
)


class SqlUnitOfWork:
    """One transaction on a connection of its own; or, inside :meth:`SqlStore.write_batch`, a
    savepoint of the batch's transaction (``batch``); or, for a read on SQLite, a transaction
    on the thread's own kept connection (``kept``: no pool check-out per request)."""

    def __init__(
        self,
        engine: Engine,
        write: bool,
        batch: Connection | None = None,
        kept: Connection | None = None,
    ) -> None:
        self._engine = engine
        self._write = write
        self._conn: Connection | None = None
        self._batch = batch
        self._kept = kept
        self._savepoint: NestedTransaction | None = None

    def __enter__(self) -> SqlUnitOfWork:
        try:
            if self._batch is not None:
                conn = self._batch
                self._savepoint = conn.begin_nested()
            elif self._kept is not None:
                conn = self._kept
                conn.begin()
            else:
                conn = self._engine.connect().execution_options(iamd_write=self._write)
                conn.begin()
        except (OperationalError, PoolTimeout) as exc:
            # The database is down, or every pooled connection is busy past the pool timeout.
            raise StoreUnavailable(type(exc).__name__) from None
        self._conn = conn
        self.accounts = SqlAccounts(conn)
        self.users = SqlUsers(conn, remember=not self._write)
        self.groups = SqlGroups(conn)
        self.policies = SqlManagedPolicies(conn)
        self.inline_policies = SqlInlinePolicies(conn)
        self.access_keys = SqlAccessKeys(conn)
        self.tags = SqlTags(conn, remember=not self._write)
        self.roles = SqlRoles(conn)
        self.instance_profiles = SqlInstanceProfiles(conn)
        self.login_profiles = SqlLoginProfiles(conn)
        self.password_policies = SqlPasswordPolicies(conn)
        self.mfa_devices = SqlMfaDevices(conn)
        self.ssh_public_keys = SqlSshPublicKeys(conn)
        self.signing_certificates = SqlSigningCertificates(conn)
        self.service_credentials = SqlServiceCredentials(conn)
        self.oidc_providers = SqlOidcProviders(conn)
        self.saml_providers = SqlSamlProviders(conn)
        self.server_certificates = SqlServerCertificates(conn)
        self.account_aliases = SqlAccountAliases(conn)
        self.account_settings = SqlAccountSettings(conn)
        self.reports = SqlReports(conn)
        self.last_access = SqlLastAccess(conn)
        self.account_reports = SqlAccountReports(conn)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn = self._conn
        if conn is None:
            return
        self._conn = None
        savepoint, self._savepoint = self._savepoint, None
        try:
            if savepoint is not None:
                savepoint.commit() if exc_type is None else savepoint.rollback()
            elif exc_type is None:
                conn.commit()
            else:
                conn.rollback()
        except IntegrityError as err:
            raise Conflict(str(err.orig)) from None
        except DBAPIError as err:
            if exc_type is None:
                if _retryable(err):
                    raise Conflict(str(err.orig)) from None
                raise StoreUnavailable(type(err).__name__) from None
        finally:
            if savepoint is None and self._kept is None:
                conn.close()
        if isinstance(exc, IntegrityError) or (isinstance(exc, DBAPIError) and _retryable(exc)):
            raise Conflict(str(exc.orig)) from None
        if isinstance(exc, OperationalError) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated
        ):
            raise StoreUnavailable(type(exc).__name__) from None

    def lock_account(self, account_id: str, *, bump: bool = True) -> int:
        if self._conn is None:
            raise RuntimeError("unit of work not entered")
        statement = _LOCK_ACCOUNT if bump else _LOCK_ACCOUNT_ONLY
        version = self._conn.execute(statement, {"b_id": account_id}).scalar()
        if version is None:
            raise AccountGone(account_id)
        return int(version)

    @property
    def connection(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("unit of work not entered")
        return self._conn


class SqlStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._batch = threading.local()  # the write batch this thread is in (write_batch)
        # Reads on SQLite keep one connection per thread (_reader).
        self._keep_readers = engine.dialect.name == "sqlite"
        self._readers = threading.local()
        self._readers_lock = threading.Lock()
        self._reader_count = 0
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        self._lock_path = f"{database}-writer.lock" if database and database != ":memory:" else None
        self._lock_fd: int | None = None

    # -- the data set's own settings (schema-independent key/value pairs) ----------------------

    def get_setting(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(t.meta.c.value).where(t.meta.c.key == key)).scalar()
        return str(value) if value is not None else None

    def claim_setting(self, key: str, value: str) -> bool:
        """Store ``key`` unless it is set; True when this call set it (one node wins a race)."""
        try:
            with self.engine.connect().execution_options(iamd_write=True) as conn, conn.begin():
                if conn.execute(select(t.meta.c.key).where(t.meta.c.key == key)).first():
                    return False
                conn.execute(insert(t.meta).values(key=key, value=value))
        except IntegrityError:
            return False
        return True

    def put_setting(self, key: str, value: str) -> None:
        with self.engine.connect().execution_options(iamd_write=True) as conn, conn.begin():
            if (
                conn.execute(update(t.meta).where(t.meta.c.key == key).values(value=value)).rowcount
                == 0
            ):
                conn.execute(insert(t.meta).values(key=key, value=value))

    def bump_all_account_versions(self) -> None:
        """Invalidate every node's cached view of every account (data shared by all accounts,
        such as the AWS managed policies, changed)."""
        with self.engine.connect().execution_options(iamd_write=True) as conn, conn.begin():
            conn.execute(update(t.accounts).values(version=t.accounts.c.version + 1))

    def unit_of_work(self, *, write: bool = False) -> SqlUnitOfWork:
        batch = getattr(self._batch, "connection", None)
        kept = None
        if not write and batch is None and self._keep_readers:
            kept = self._reader()
        return SqlUnitOfWork(self.engine, write, batch, kept)

    def _reader(self) -> Connection | None:
        """This thread's kept read connection (SQLite only; a few threads at most, so the pool
        is never drained by them)."""
        kept: Connection | None = getattr(self._readers, "connection", None)
        if kept is not None and not kept.closed and not kept.invalidated:
            if kept.in_transaction():  # left over by a failed commit
                with contextlib.suppress(DBAPIError):
                    kept.rollback()
            return kept
        if kept is not None:  # lost (invalidated): hand it back, take another
            with contextlib.suppress(DBAPIError):
                kept.close()
        with self._readers_lock:
            if kept is None:
                if self._reader_count >= _KEPT_READERS:
                    return None
                self._reader_count += 1
        try:
            conn = self.engine.connect().execution_options(iamd_write=False)
        except (OperationalError, PoolTimeout):
            self._readers.connection = None
            if kept is None:
                with self._readers_lock:
                    self._reader_count -= 1
            return None  # the unit of work connects itself and reports the failure
        self._readers.connection = conn
        return conn

    @contextlib.contextmanager
    def write_batch(self) -> Iterator[None]:
        """Group commit: every unit of work this thread opens inside is a savepoint of one write
        transaction, committed once at the end — one ``fsync`` for the whole batch. A unit of
        work that fails rolls back to its savepoint only; if the commit fails, nothing of the
        batch is stored (StoreUnavailable)."""
        with self._writers_queue():
            try:
                conn = self.engine.connect().execution_options(iamd_write=True)
                conn.begin()
            except (OperationalError, PoolTimeout) as exc:
                raise StoreUnavailable(type(exc).__name__) from None
            self._batch.connection = conn
            yield from self._run_batch(conn)

    @contextlib.contextmanager
    def _writers_queue(self) -> Iterator[None]:
        """On SQLite, the batch writers of several processes (``--workers N``) wait their turn
        on an ``flock`` beside the database instead of in SQLite's busy handler, which polls
        with sleeps of up to 100 ms and lets one process starve the other."""
        if self._lock_path is None:
            yield
            return
        if self._lock_fd is None:
            self._lock_fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _run_batch(self, conn: Connection) -> Iterator[None]:
        try:
            yield
            conn.commit()
        except DBAPIError as err:
            raise StoreUnavailable(type(err).__name__) from None
        finally:
            self._batch.connection = None
            if conn.in_transaction():
                conn.rollback()
            conn.close()

    def close(self) -> None:
        self.engine.dispose()
