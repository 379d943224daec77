"""Service-specific credentials in SQL. The secret column holds ciphertext only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Row

from iamd.domain import KeyStatus, ServiceSpecificCredential
from iamd.storage.repositories import Page
from iamd.storage.sql import schema as t
from iamd.storage.sql.paging import fetch_page

__all__ = ["SqlServiceCredentials"]

_c = t.service_specific_credentials.c
_u = t.users.c


def _credential(row: Row[Any]) -> ServiceSpecificCredential:
    return ServiceSpecificCredential(
        id=row.id,
        account_id=row.account_id,
        user_id=row.user_id,
        user_name=row.user_name,
        service_name=row.service_name,
        service_user_name=row.service_user_name,
        secret_ciphertext=bytes(row.secret),
        status=KeyStatus(row.status),
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


def _select() -> Any:
    return select(t.service_specific_credentials, _u.name.label("user_name")).join(
        t.users, _u.id == _c.user_id
    )


class SqlServiceCredentials:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: str, credential_id: str) -> ServiceSpecificCredential | None:
        row = self._conn.execute(
            _select().where(_c.account_id == account_id, _c.id == credential_id)
        ).first()
        return _credential(row) if row else None

    def for_user(self, user_id: str) -> Sequence[ServiceSpecificCredential]:
        rows = self._conn.execute(
            _select().where(_c.user_id == user_id).order_by(_c.created_at, _c.id)
        ).all()
        return [_credential(r) for r in rows]

    def page(
        self,
        account_id: str,
        *,
        user_id: str | None,
        service_name: str | None,
        marker: str | None,
        max_items: int,
    ) -> Page[ServiceSpecificCredential]:
        """One user's credentials, or every user's when ``user_id`` is None."""
        stmt = _select().where(_c.account_id == account_id)
        if user_id is not None:
            stmt = stmt.where(_c.user_id == user_id)
        if service_name is not None:
            stmt = stmt.where(_c.service_name == service_name)
        return fetch_page(self._conn, stmt, (_c.id,), marker, max_items, _credential)

    def add(self, credential: ServiceSpecificCredential) -> None:
        self._conn.execute(
            insert(t.service_specific_credentials).values(
                id=credential.id,
                account_id=credential.account_id,
                user_id=credential.user_id,
                service_name=credential.service_name,
                service_user_name=credential.service_user_name,
                secret=credential.secret_ciphertext,
                status=credential.status.value,
                created_at=credential.created_at,
                expires_at=credential.expires_at,
            )
        )

    def set_status(self, credential_id: str, status: KeyStatus) -> None:
        self._conn.execute(
            update(t.service_specific_credentials)
            .where(_c.id == credential_id)
            .values(status=status.value)
        )

    def set_secret(self, credential_id: str, secret_ciphertext: bytes) -> None:
        self._conn.execute(
            update(t.service_specific_credentials)
            .where(_c.id == credential_id)
            .values(secret=secret_ciphertext)
        )

    def delete(self, credential_id: str) -> None:
        self._conn.execute(delete(t.service_specific_credentials).where(_c.id == credential_id))
