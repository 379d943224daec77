"""Account aliases and per-account settings in SQL."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from iamd.storage.sql import schema as t

__all__ = ["SqlAccountAliases", "SqlAccountSettings"]

_a = t.account_aliases.c
_s = t.account_settings.c


class SqlAccountAliases:
    """``account_aliases.alias`` is unique across the table: one alias names one account."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: str) -> str | None:
        value = self._conn.execute(select(_a.alias).where(_a.account_id == account_id)).scalar()
        return str(value) if value is not None else None

    def owner(self, alias: str) -> str | None:
        value = self._conn.execute(select(_a.account_id).where(_a.alias == alias)).scalar()
        return str(value) if value is not None else None

    def put(self, account_id: str, alias: str) -> None:
        changed = self._conn.execute(
            update(t.account_aliases).where(_a.account_id == account_id).values(alias=alias)
        ).rowcount
        if changed == 0:
            self._conn.execute(insert(t.account_aliases).values(account_id=account_id, alias=alias))

    def delete(self, account_id: str) -> None:
        self._conn.execute(delete(t.account_aliases).where(_a.account_id == account_id))


class SqlAccountSettings:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: str, key: str) -> str | None:
        value = self._conn.execute(
            select(_s.value).where(_s.account_id == account_id, _s.key == key)
        ).scalar()
        return str(value) if value is not None else None

    def put(self, account_id: str, key: str, value: str) -> None:
        changed = self._conn.execute(
            update(t.account_settings)
            .where(_s.account_id == account_id, _s.key == key)
            .values(value=value)
        ).rowcount
        if changed == 0:
            self._conn.execute(
                insert(t.account_settings).values(account_id=account_id, key=key, value=value)
            )

    def delete(self, account_id: str, key: str) -> None:
        self._conn.execute(
            delete(t.account_settings).where(_s.account_id == account_id, _s.key == key)
        )
