"""Accounts in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.engine import Connection, Row

from iamd.domain import AWS_MANAGED_ACCOUNT, Account
from iamd.storage.sql import schema as t
from iamd.storage.sql.driver import DriverQuery

__all__ = ["SqlAccounts"]

# Read by every request (the caches' check): iamd.storage.sql.driver.
_VERSION = DriverQuery(select(t.accounts.c.version).where(t.accounts.c.id == bindparam("b_id")))


def _account(row: Row[Any]) -> Account:
    return Account(id=row.id, name=row.name, created_at=row.created_at)


class SqlAccounts:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: str) -> Account | None:
        row = self._conn.execute(select(t.accounts).where(t.accounts.c.id == account_id)).first()
        return _account(row) if row else None

    def list(self) -> Sequence[Account]:
        rows = self._conn.execute(select(t.accounts).order_by(t.accounts.c.id)).all()
        return [_account(r) for r in rows]

    def add(self, account: Account) -> None:
        self._conn.execute(
            insert(t.accounts).values(
                id=account.id, name=account.name, created_at=account.created_at, version=0
            )
        )

    def delete(self, account_id: str) -> bool:
        if account_id == AWS_MANAGED_ACCOUNT:
            return False
        # Customer managed policies carry no foreign key to their account (AWS managed ones
        # share the table), so they go explicitly; everything else cascades.
        self._conn.execute(
            delete(t.managed_policies).where(t.managed_policies.c.account_id == account_id)
        )
        result = self._conn.execute(delete(t.accounts).where(t.accounts.c.id == account_id))
        return result.rowcount > 0

    def version(self, account_id: str) -> int | None:
        row = _VERSION.first(self._conn, {"b_id": account_id})
        value = row[0] if row else None
        return int(value) if value is not None else None
