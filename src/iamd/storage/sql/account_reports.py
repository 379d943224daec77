"""Read-only views across an account's tables: the counts of GetAccountSummary and the rows of
the credential report. Each reads every table it needs once for the whole account (a report of
5,000 users is a handful of queries, not several per user)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from iamd.domain import (
    ROOT_ACCOUNT_NAME,
    AccountCounts,
    CertificateFacts,
    CredentialFacts,
    KeyFacts,
    KeyStatus,
    root_arn,
    user_arn,
)
from iamd.storage.sql import schema as t

__all__ = ["SqlAccountReports"]

_ACTIVE = KeyStatus.ACTIVE.value


class SqlAccountReports:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _count(self, table: Any, *where: ColumnElement[bool]) -> int:
        stmt: Select[Any] = select(func.count()).select_from(table).where(*where)
        return int(self._conn.execute(stmt).scalar_one())

    def counts(self, account_id: str) -> AccountCounts:
        mfa = t.mfa_devices.c
        keys = t.access_keys.c
        certs = t.signing_certificates.c
        policies = t.managed_policies.c
        versions = t.policy_versions.c
        enabled = mfa.enabled_at.is_not(None)
        return AccountCounts(
            users=self._count(t.users, t.users.c.account_id == account_id),
            groups=self._count(t.groups, t.groups.c.account_id == account_id),
            roles=self._count(t.roles, t.roles.c.account_id == account_id),
            policies=self._count(t.managed_policies, policies.account_id == account_id),
            policy_versions_in_use=self._count(
                t.policy_versions.join(t.managed_policies, policies.arn == versions.policy_arn),
                policies.account_id == account_id,
            ),
            instance_profiles=self._count(
                t.instance_profiles, t.instance_profiles.c.account_id == account_id
            ),
            server_certificates=self._count(
                t.server_certificates, t.server_certificates.c.account_id == account_id
            ),
            providers=self._count(t.oidc_providers, t.oidc_providers.c.account_id == account_id)
            + self._count(t.saml_providers, t.saml_providers.c.account_id == account_id),
            mfa_devices=self._count(t.mfa_devices, mfa.account_id == account_id),
            mfa_devices_in_use=self._count(t.mfa_devices, mfa.account_id == account_id, enabled),
            root_mfa_enabled=self._count(
                t.mfa_devices, mfa.account_id == account_id, enabled, mfa.root_assigned.is_(True)
            )
            > 0,
            root_access_keys=self._count(
                t.access_keys, keys.account_id == account_id, keys.user_id.is_(None)
            ),
            root_signing_certificates=self._count(
                t.signing_certificates, certs.account_id == account_id, certs.user_id.is_(None)
            ),
        )

    def max_password_age(self, account_id: str) -> int | None:
        p = t.password_policies.c
        value = self._conn.execute(
            select(p.max_password_age).where(p.account_id == account_id)
        ).scalar()
        return int(value) if value else None

    def _keys(self, account_id: str) -> dict[str | None, list[KeyFacts]]:
        k = t.access_keys.c
        found: dict[str | None, list[KeyFacts]] = defaultdict(list)
        rows = self._conn.execute(
            select(k.user_id, k.status, k.created_at, k.last_used_at, k.last_used_region)
            .add_columns(k.last_used_service)
            .where(k.account_id == account_id)
            .order_by(k.created_at, k.id)
        ).all()
        for row in rows:
            found[row.user_id].append(
                KeyFacts(
                    active=row.status == _ACTIVE,
                    created_at=row.created_at,
                    last_used_at=row.last_used_at,
                    last_used_region=row.last_used_region,
                    last_used_service=row.last_used_service,
                )
            )
        return found

    def _certificates(self, account_id: str) -> dict[str | None, list[CertificateFacts]]:
        c = t.signing_certificates.c
        found: dict[str | None, list[CertificateFacts]] = defaultdict(list)
        rows = self._conn.execute(
            select(c.user_id, c.status, c.uploaded_at)
            .where(c.account_id == account_id)
            .order_by(c.uploaded_at, c.id)
        ).all()
        for row in rows:
            found[row.user_id].append(CertificateFacts(row.status == _ACTIVE, row.uploaded_at))
        return found

    def _mfa(self, account_id: str) -> tuple[set[str], bool]:
        m = t.mfa_devices.c
        rows = self._conn.execute(
            select(m.user_id, m.root_assigned).where(
                and_(m.account_id == account_id, m.enabled_at.is_not(None))
            )
        ).all()
        users = {str(r.user_id) for r in rows if r.user_id is not None}
        return users, any(bool(r.root_assigned) for r in rows)

    def _passwords(self, account_id: str) -> dict[str, dt.datetime]:
        lp = t.login_profiles.c
        rows = self._conn.execute(
            select(lp.user_id, lp.password_changed_at).where(lp.account_id == account_id)
        ).all()
        return {str(r.user_id): r.password_changed_at for r in rows}

    def credential_facts(self, account_id: str) -> Sequence[CredentialFacts]:
        created = self._conn.execute(
            select(t.accounts.c.created_at).where(t.accounts.c.id == account_id)
        ).scalar()
        if created is None:
            return []
        keys = self._keys(account_id)
        certificates = self._certificates(account_id)
        mfa_users, root_mfa = self._mfa(account_id)
        passwords = self._passwords(account_id)
        facts = [
            CredentialFacts(
                name=ROOT_ACCOUNT_NAME,
                arn=root_arn(account_id),
                created_at=created,
                is_root=True,
                mfa_active=root_mfa,
                access_keys=tuple(keys.get(None, ())),
                certificates=tuple(certificates.get(None, ())),
            )
        ]
        u = t.users.c
        users = self._conn.execute(
            select(u.id, u.name, u.path, u.created_at, u.password_last_used)
            .where(u.account_id == account_id)
            .order_by(u.name_lower, u.id)
        ).all()
        for user in users:
            facts.append(
                CredentialFacts(
                    name=user.name,
                    arn=user_arn(account_id, user.path, user.name),
                    created_at=user.created_at,
                    password_changed_at=passwords.get(user.id),
                    password_last_used=user.password_last_used,
                    mfa_active=user.id in mfa_users,
                    access_keys=tuple(keys.get(user.id, ())),
                    certificates=tuple(certificates.get(user.id, ())),
                )
            )
        return facts
