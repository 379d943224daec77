"""Access keys in SQL. The secret column holds ciphertext only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection, Row

from iamd.domain import AccessKey, KeyStatus
from iamd.storage.sql import schema as t
from iamd.storage.sql.driver import DriverQuery

__all__ = ["SqlAccessKeys"]

_k = t.access_keys.c
_u = t.users.c


def _key(row: Row[Any]) -> AccessKey:
    return AccessKey(
        id=row.id,
        account_id=row.account_id,
        user_id=row.user_id,
        user_name=row.user_name,
        status=KeyStatus(row.status),
        created_at=row.created_at,
        secret_ciphertext=bytes(row.secret),
        last_used_at=row.last_used_at,
        last_used_service=row.last_used_service,
        last_used_region=row.last_used_region,
    )


def _select() -> Any:
    return select(t.access_keys, _u.name.label("user_name")).outerjoin(t.users, _u.id == _k.user_id)


_BY_ID = DriverQuery(_select().where(_k.id == bindparam("b_id")))  # authentication reads it
_COLUMNS = tuple(c.name for c in _BY_ID.columns)


class SqlAccessKeys:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, access_key_id: str) -> AccessKey | None:
        row = _BY_ID.first(self._conn, {"b_id": access_key_id})
        if row is None:
            return None
        found = dict(zip(_COLUMNS, row, strict=True))
        return AccessKey(
            id=found["id"],
            account_id=found["account_id"],
            user_id=found["user_id"],
            user_name=found["user_name"],
            status=KeyStatus(found["status"]),
            created_at=found["created_at"],
            secret_ciphertext=bytes(found["secret"]),
            last_used_at=found["last_used_at"],
            last_used_service=found["last_used_service"],
            last_used_region=found["last_used_region"],
        )

    def add(self, key: AccessKey) -> None:
        self._conn.execute(
            insert(t.access_keys).values(
                id=key.id,
                account_id=key.account_id,
                user_id=key.user_id,
                secret=key.secret_ciphertext,
                status=key.status.value,
                created_at=key.created_at,
            )
        )

    def set_status(self, access_key_id: str, status: KeyStatus) -> None:
        self._conn.execute(
            update(t.access_keys).where(_k.id == access_key_id).values(status=status.value)
        )

    def delete(self, access_key_id: str) -> None:
        self._conn.execute(delete(t.access_keys).where(_k.id == access_key_id))

    def for_user(self, account_id: str, user_id: str | None) -> Sequence[AccessKey]:
        owner = _k.user_id.is_(None) if user_id is None else _k.user_id == user_id
        rows = self._conn.execute(
            _select().where(_k.account_id == account_id, owner).order_by(_k.created_at, _k.id)
        ).all()
        return [_key(r) for r in rows]

    def record_use(self, access_key_id: str, at: dt.datetime, service: str, region: str) -> None:
        self._conn.execute(
            update(t.access_keys)
            .where(_k.id == access_key_id)
            .values(last_used_at=at, last_used_service=service, last_used_region=region)
        )
