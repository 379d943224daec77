"""IAM groups and their members in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Row

from iamd.domain import Group, User
from iamd.storage.repositories import Page
from iamd.storage.sql import schema as t
from iamd.storage.sql.driver import DriverQuery
from iamd.storage.sql.paging import fetch_page, path_starts_with
from iamd.storage.sql.users import user_from_row

__all__ = ["SqlGroups"]

_g = t.groups.c
_m = t.group_members.c
_GROUP_COLUMNS = (_g.account_id, _g.id, _g.name, _g.path, _g.created_at)
_GROUPS_OF_USER = DriverQuery(  # the policy engine loads these for each principal
    select(*_GROUP_COLUMNS)
    .join(t.group_members, _m.group_id == _g.id)
    .where(_m.user_id == bindparam("b_user"), _g.account_id == bindparam("b_account"))
    .order_by(_g.name_lower)
)


def _group(row: Row[Any]) -> Group:
    return Group(
        account_id=row.account_id,
        id=row.id,
        name=row.name,
        path=row.path,
        created_at=row.created_at,
    )


class SqlGroups:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: str, name: str) -> Group | None:
        row = self._conn.execute(
            select(t.groups).where(_g.account_id == account_id, _g.name_lower == name.lower())
        ).first()
        return _group(row) if row else None

    def get_by_id(self, account_id: str, group_id: str) -> Group | None:
        row = self._conn.execute(
            select(t.groups).where(_g.account_id == account_id, _g.id == group_id)
        ).first()
        return _group(row) if row else None

    def add(self, group: Group) -> None:
        self._conn.execute(
            insert(t.groups).values(
                id=group.id,
                account_id=group.account_id,
                name=group.name,
                name_lower=group.name.lower(),
                path=group.path,
                created_at=group.created_at,
            )
        )

    def update(self, group: Group) -> None:
        self._conn.execute(
            update(t.groups)
            .where(_g.id == group.id)
            .values(name=group.name, name_lower=group.name.lower(), path=group.path)
        )

    def delete(self, account_id: str, group_id: str) -> None:
        self._conn.execute(delete(t.groups).where(_g.account_id == account_id, _g.id == group_id))

    def list(
        self, account_id: str, *, path_prefix: str, marker: str | None, max_items: int
    ) -> Page[Group]:
        stmt = select(t.groups).where(_g.account_id == account_id)
        if path_prefix != "/":
            stmt = stmt.where(path_starts_with(_g.path, path_prefix))
        return fetch_page(self._conn, stmt, (_g.name_lower, _g.id), marker, max_items, _group)

    def count(self, account_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count()).select_from(t.groups).where(_g.account_id == account_id)
            ).scalar_one()
        )

    def add_member(self, group_id: str, user_id: str, at: dt.datetime) -> None:
        self._conn.execute(
            insert(t.group_members).values(group_id=group_id, user_id=user_id, added_at=at)
        )

    def remove_member(self, group_id: str, user_id: str) -> bool:
        result = self._conn.execute(
            delete(t.group_members).where(_m.group_id == group_id, _m.user_id == user_id)
        )
        return result.rowcount > 0

    def is_member(self, group_id: str, user_id: str) -> bool:
        row = self._conn.execute(
            select(_m.user_id).where(_m.group_id == group_id, _m.user_id == user_id)
        ).first()
        return row is not None

    def members(
        self, account_id: str, group_id: str, *, marker: str | None, max_items: int
    ) -> Page[User]:
        u = t.users.c
        stmt = (
            select(t.users)
            .join(t.group_members, _m.user_id == u.id)
            .where(_m.group_id == group_id, u.account_id == account_id)
        )
        return fetch_page(self._conn, stmt, (u.name_lower, u.id), marker, max_items, user_from_row)

    def count_members(self, group_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count()).select_from(t.group_members).where(_m.group_id == group_id)
            ).scalar_one()
        )

    def _groups_of(self, account_id: str, user_id: str) -> Any:
        return (
            select(t.groups)
            .join(t.group_members, _m.group_id == _g.id)
            .where(_m.user_id == user_id, _g.account_id == account_id)
        )

    def groups_for_user(
        self, account_id: str, user_id: str, *, marker: str | None, max_items: int
    ) -> Page[Group]:
        stmt = self._groups_of(account_id, user_id)
        return fetch_page(self._conn, stmt, (_g.name_lower, _g.id), marker, max_items, _group)

    def all_groups_for_user(self, account_id: str, user_id: str) -> Sequence[Group]:
        rows = _GROUPS_OF_USER.rows(self._conn, {"b_user": user_id, "b_account": account_id})
        return [Group(account_id=a, id=i, name=n, path=p, created_at=c) for a, i, n, p, c in rows]

    def count_groups_for_user(self, user_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count()).select_from(t.group_members).where(_m.user_id == user_id)
            ).scalar_one()
        )
