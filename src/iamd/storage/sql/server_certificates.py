"""Server certificates in SQL. The private key column holds ciphertext only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Row

from iamd.domain import ServerCertificate
from iamd.storage.repositories import Page
from iamd.storage.sql import schema as t
from iamd.storage.sql.paging import fetch_page, path_starts_with

__all__ = ["SqlServerCertificates"]

_c = t.server_certificates.c


def _certificate(row: Row[Any]) -> ServerCertificate:
    return ServerCertificate(
        account_id=row.account_id,
        id=row.id,
        name=row.name,
        path=row.path,
        body=row.body,
        chain=row.chain,
        private_key_ciphertext=bytes(row.private_key),
        uploaded_at=row.uploaded_at,
        expires_at=row.expires_at,
    )


class SqlServerCertificates:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: str, name: str) -> ServerCertificate | None:
        row = self._conn.execute(
            select(t.server_certificates).where(
                _c.account_id == account_id, _c.name_lower == name.lower()
            )
        ).first()
        return _certificate(row) if row else None

    def add(self, certificate: ServerCertificate) -> None:
        self._conn.execute(
            insert(t.server_certificates).values(
                id=certificate.id,
                account_id=certificate.account_id,
                name=certificate.name,
                name_lower=certificate.name.lower(),
                path=certificate.path,
                body=certificate.body,
                chain=certificate.chain,
                private_key=certificate.private_key_ciphertext,
                uploaded_at=certificate.uploaded_at,
                expires_at=certificate.expires_at,
            )
        )

    def update(self, certificate: ServerCertificate) -> None:
        self._conn.execute(
            update(t.server_certificates)
            .where(_c.id == certificate.id)
            .values(
                name=certificate.name,
                name_lower=certificate.name.lower(),
                path=certificate.path,
            )
        )

    def delete(self, certificate_id: str) -> None:
        self._conn.execute(delete(t.server_certificates).where(_c.id == certificate_id))

    def list(
        self, account_id: str, *, path_prefix: str, marker: str | None, max_items: int
    ) -> Page[ServerCertificate]:
        stmt = select(t.server_certificates).where(_c.account_id == account_id)
        if path_prefix != "/":
            stmt = stmt.where(path_starts_with(_c.path, path_prefix))
        return fetch_page(self._conn, stmt, (_c.name_lower, _c.id), marker, max_items, _certificate)

    def count(self, account_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.server_certificates)
                .where(_c.account_id == account_id)
            ).scalar_one()
        )
