"""IAM users in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Row

from iamd.domain import User
from iamd.storage.repositories import Page
from iamd.storage.sql import schema as t
from iamd.storage.sql.driver import DriverQuery
from iamd.storage.sql.paging import fetch_page, path_starts_with

__all__ = ["SqlUsers", "user_from_row"]

_u = t.users.c
# The reads on every request's path, built once: building a statement costs more than running it.
_BY_NAME = DriverQuery(
    select(t.users).where(
        _u.account_id == bindparam("b_account"), _u.name_lower == bindparam("b_name")
    )
)
_BY_ID = DriverQuery(
    select(t.users).where(_u.account_id == bindparam("b_account"), _u.id == bindparam("b_id"))
)
_COLUMNS = tuple(c.name for c in t.users.c)
_INSERT = insert(t.users)  # CreateUser's: built once
_COUNT = select(func.count()).select_from(t.users).where(_u.account_id == bindparam("b_account"))


def _user(values: tuple[Any, ...]) -> User:
    row = dict(zip(_COLUMNS, values, strict=True))
    return User(
        account_id=row["account_id"],
        id=row["id"],
        name=row["name"],
        path=row["path"],
        created_at=row["created_at"],
        permissions_boundary_arn=row["permissions_boundary_arn"],
        password_last_used=row["password_last_used"],
    )


def user_from_row(row: Row[Any]) -> User:
    return User(
        account_id=row.account_id,
        id=row.id,
        name=row.name,
        path=row.path,
        created_at=row.created_at,
        permissions_boundary_arn=row.permissions_boundary_arn,
        password_last_used=row.password_last_used,
    )


class SqlUsers:
    """``remember``: keep what ``get`` / ``get_by_id`` read for the rest of the unit of work (a
    read-only one: authorization and the handler often read the same user)."""

    def __init__(self, conn: Connection, *, remember: bool = False) -> None:
        self._conn = conn
        self._seen: dict[tuple[str, str, str], User | None] | None = {} if remember else None

    def get(self, account_id: str, name: str) -> User | None:
        key = ("name", account_id, name.lower())
        if self._seen is not None and key in self._seen:
            return self._seen[key]
        row = _BY_NAME.first(self._conn, {"b_account": account_id, "b_name": key[2]})
        user = _user(row) if row else None
        if self._seen is not None:
            self._seen[key] = user
        return user

    def get_by_id(self, account_id: str, user_id: str) -> User | None:
        key = ("id", account_id, user_id)
        if self._seen is not None and key in self._seen:
            return self._seen[key]
        row = _BY_ID.first(self._conn, {"b_account": account_id, "b_id": user_id})
        user = _user(row) if row else None
        if self._seen is not None:
            self._seen[key] = user
        return user

    def _forget(self) -> None:
        if self._seen:
            self._seen.clear()

    def add(self, user: User) -> None:
        self._forget()
        self._conn.execute(
            _INSERT,
            {
                "id": user.id,
                "account_id": user.account_id,
                "name": user.name,
                "name_lower": user.name.lower(),
                "path": user.path,
                "created_at": user.created_at,
                "permissions_boundary_arn": user.permissions_boundary_arn,
                "password_last_used": user.password_last_used,
            },
        )

    def update(self, user: User) -> None:
        self._forget()
        self._conn.execute(
            update(t.users)
            .where(_u.id == user.id)
            .values(
                name=user.name,
                name_lower=user.name.lower(),
                path=user.path,
                permissions_boundary_arn=user.permissions_boundary_arn,
                password_last_used=user.password_last_used,
            )
        )

    def delete(self, account_id: str, user_id: str) -> None:
        self._forget()
        self._conn.execute(delete(t.users).where(_u.account_id == account_id, _u.id == user_id))

    def list(
        self, account_id: str, *, path_prefix: str, marker: str | None, max_items: int
    ) -> Page[User]:
        stmt = select(t.users).where(_u.account_id == account_id)
        if path_prefix != "/":
            stmt = stmt.where(path_starts_with(_u.path, path_prefix))
        return fetch_page(
            self._conn, stmt, (_u.name_lower, _u.id), marker, max_items, user_from_row
        )

    def count(self, account_id: str) -> int:
        return int(self._conn.execute(_COUNT, {"b_account": account_id}).scalar_one())

    def with_boundary(self, account_id: str, arn: str) -> Sequence[User]:
        rows = self._conn.execute(
            select(t.users)
            .where(_u.account_id == account_id, _u.permissions_boundary_arn == arn)
            .order_by(_u.name_lower)
        ).all()
        return [user_from_row(r) for r in rows]
