"""OpenID Connect and SAML providers in SQL.

``oidc_providers`` keeps client ids and thumbprints as JSON lists. ``saml_providers`` keeps its
UUID in the ``settings`` JSON and the private keys as one encrypted blob.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Row

from iamd.domain import OidcProvider, SamlProvider
from iamd.storage.sql import schema as t

__all__ = ["SqlOidcProviders", "SqlSamlProviders"]

_o = t.oidc_providers.c
_s = t.saml_providers.c
_OIDC_PREFIX = "oidc-provider/"


def _oidc(row: Row[Any]) -> OidcProvider:
    name = str(row.arn).split(":", 5)[5][len(_OIDC_PREFIX) :]
    return OidcProvider(
        account_id=row.account_id,
        name=name,
        client_ids=tuple(json.loads(row.client_ids)),
        thumbprints=tuple(json.loads(row.thumbprints)),
        created_at=row.created_at,
    )


class SqlOidcProviders:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, arn: str) -> OidcProvider | None:
        row = self._conn.execute(select(t.oidc_providers).where(_o.arn == arn)).first()
        return _oidc(row) if row else None

    def add(self, provider: OidcProvider) -> None:
        self._conn.execute(
            insert(t.oidc_providers).values(
                arn=provider.arn,
                account_id=provider.account_id,
                url=provider.name,
                client_ids=json.dumps(list(provider.client_ids)),
                thumbprints=json.dumps(list(provider.thumbprints)),
                created_at=provider.created_at,
            )
        )

    def update(self, provider: OidcProvider) -> None:
        self._conn.execute(
            update(t.oidc_providers)
            .where(_o.arn == provider.arn)
            .values(
                client_ids=json.dumps(list(provider.client_ids)),
                thumbprints=json.dumps(list(provider.thumbprints)),
            )
        )

    def delete(self, arn: str) -> None:
        self._conn.execute(delete(t.oidc_providers).where(_o.arn == arn))

    def list(self, account_id: str) -> Sequence[OidcProvider]:
        rows = self._conn.execute(
            select(t.oidc_providers).where(_o.account_id == account_id).order_by(_o.arn)
        ).all()
        return [_oidc(row) for row in rows]

    def count(self, account_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.oidc_providers)
                .where(_o.account_id == account_id)
            ).scalar_one()
        )


def _saml(row: Row[Any]) -> SamlProvider:
    settings = json.loads(row.settings) if row.settings else {}
    return SamlProvider(
        account_id=row.account_id,
        name=row.name,
        uuid=str(settings.get("uuid", "")),
        metadata_document=row.metadata_document,
        created_at=row.created_at,
        valid_until=row.valid_until,
        assertion_encryption_mode=row.assertion_encryption_mode,
        private_keys_ciphertext=bytes(row.private_keys) if row.private_keys is not None else None,
    )


def _saml_values(provider: SamlProvider) -> dict[str, Any]:
    return {
        "metadata_document": provider.metadata_document,
        "valid_until": provider.valid_until,
        "assertion_encryption_mode": provider.assertion_encryption_mode,
        "private_keys": provider.private_keys_ciphertext,
        "settings": json.dumps({"uuid": provider.uuid}),
    }


class SqlSamlProviders:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, arn: str) -> SamlProvider | None:
        row = self._conn.execute(select(t.saml_providers).where(_s.arn == arn)).first()
        return _saml(row) if row else None

    def get_by_name(self, account_id: str, name: str) -> SamlProvider | None:
        # No name_lower column in this table: an account holds at most 100 providers.
        row = self._conn.execute(
            select(t.saml_providers).where(
                _s.account_id == account_id, func.lower(_s.name) == name.lower()
            )
        ).first()
        return _saml(row) if row else None

    def add(self, provider: SamlProvider) -> None:
        self._conn.execute(
            insert(t.saml_providers).values(
                arn=provider.arn,
                account_id=provider.account_id,
                name=provider.name,
                created_at=provider.created_at,
                **_saml_values(provider),
            )
        )

    def update(self, provider: SamlProvider) -> None:
        self._conn.execute(
            update(t.saml_providers).where(_s.arn == provider.arn).values(**_saml_values(provider))
        )

    def delete(self, arn: str) -> None:
        self._conn.execute(delete(t.saml_providers).where(_s.arn == arn))

    def list(self, account_id: str) -> Sequence[SamlProvider]:
        rows = self._conn.execute(
            select(t.saml_providers).where(_s.account_id == account_id).order_by(_s.arn)
        ).all()
        return [_saml(row) for row in rows]

    def count(self, account_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.saml_providers)
                .where(_s.account_id == account_id)
            ).scalar_one()
        )
