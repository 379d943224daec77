"""X.509 signing certificates in SQL (``user_id`` NULL: the root user's)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Row

from iamd.domain import KeyStatus, SigningCertificate
from iamd.storage.repositories import Page
from iamd.storage.sql import schema as t
from iamd.storage.sql.paging import fetch_page

__all__ = ["SqlSigningCertificates"]

_c = t.signing_certificates.c
_u = t.users.c


def _certificate(row: Row[Any]) -> SigningCertificate:
    return SigningCertificate(
        id=row.id,
        account_id=row.account_id,
        user_id=row.user_id,
        user_name=row.user_name,
        body=row.body,
        status=KeyStatus(row.status),
        uploaded_at=row.uploaded_at,
    )


def _select() -> Any:
    return select(t.signing_certificates, _u.name.label("user_name")).outerjoin(
        t.users, _u.id == _c.user_id
    )


def _owner(user_id: str | None) -> Any:
    return _c.user_id.is_(None) if user_id is None else _c.user_id == user_id


class SqlSigningCertificates:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: str, certificate_id: str) -> SigningCertificate | None:
        row = self._conn.execute(
            _select().where(_c.account_id == account_id, _c.id == certificate_id)
        ).first()
        return _certificate(row) if row else None

    def count(self, account_id: str, user_id: str | None) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.signing_certificates)
                .where(_c.account_id == account_id, _owner(user_id))
            ).scalar_one()
        )

    def page(
        self, account_id: str, user_id: str | None, *, marker: str | None, max_items: int
    ) -> Page[SigningCertificate]:
        stmt = _select().where(_c.account_id == account_id, _owner(user_id))
        return fetch_page(self._conn, stmt, (_c.id,), marker, max_items, _certificate)

    def add(self, certificate: SigningCertificate) -> None:
        self._conn.execute(
            insert(t.signing_certificates).values(
                id=certificate.id,
                account_id=certificate.account_id,
                user_id=certificate.user_id,
                body=certificate.body,
                status=certificate.status.value,
                uploaded_at=certificate.uploaded_at,
            )
        )

    def set_status(self, certificate_id: str, status: KeyStatus) -> None:
        self._conn.execute(
            update(t.signing_certificates)
            .where(_c.id == certificate_id)
            .values(status=status.value)
        )

    def delete(self, certificate_id: str) -> None:
        self._conn.execute(delete(t.signing_certificates).where(_c.id == certificate_id))
