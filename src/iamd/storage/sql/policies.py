"""Managed policies, their versions and attachments, in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, exists, func, insert, literal, select, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql.elements import ColumnElement

from iamd.domain import (
    AWS_MANAGED_ACCOUNT,
    AttachedPolicy,
    ManagedPolicy,
    PolicyOwnerKind,
    PolicyVersion,
)
from iamd.storage.repositories import Page, PolicyScope
from iamd.storage.sql import schema as t
from iamd.storage.sql.driver import DriverQuery
from iamd.storage.sql.paging import fetch_page, path_starts_with

__all__ = ["SqlManagedPolicies"]

_p = t.managed_policies.c
_v = t.policy_versions.c
_a = t.policy_attachments.c
_ATTACHED_DOCUMENTS = DriverQuery(
    select(_p.arn, _p.name, _v.document)
    .join(t.policy_attachments, _a.policy_arn == _p.arn)
    .join(t.policy_versions, (_v.policy_arn == _p.arn) & (_v.version_id == _p.default_version_id))
    .where(_a.owner_kind == bindparam("b_kind"), _a.owner_id == bindparam("b_owner"))
    .order_by(_p.name_lower)
)


def _attachment_count(account_id: str) -> ColumnElement[int]:
    return (
        select(func.count())
        .select_from(t.policy_attachments)
        .where(_a.policy_arn == _p.arn, _a.account_id == account_id)
        .scalar_subquery()
    )


def _boundary_count(account_id: str) -> ColumnElement[int]:
    """Users and roles of the account whose permissions boundary is the policy."""
    u = t.users.c
    r = t.roles.c
    users = (
        select(func.count())
        .select_from(t.users)
        .where(u.permissions_boundary_arn == _p.arn, u.account_id == account_id)
        .scalar_subquery()
    )
    roles = (
        select(func.count())
        .select_from(t.roles)
        .where(r.permissions_boundary_arn == _p.arn, r.account_id == account_id)
        .scalar_subquery()
    )
    return users + roles


def _select_policies(account_id: str) -> Any:
    return select(
        t.managed_policies,
        _attachment_count(account_id).label("attachment_count"),
        _boundary_count(account_id).label("boundary_count"),
    )


def _policy(row: Row[Any]) -> ManagedPolicy:
    return ManagedPolicy(
        arn=row.arn,
        id=row.id,
        name=row.name,
        path=row.path,
        account_id=row.account_id,
        default_version_id=row.default_version_id,
        description=row.description,
        created_at=row.created_at,
        updated_at=row.updated_at,
        attachment_count=int(row.attachment_count),
        permissions_boundary_usage_count=int(row.boundary_count),
    )


def _version(row: Row[Any], default_version_id: str) -> PolicyVersion:
    return PolicyVersion(
        policy_arn=row.policy_arn,
        version_id=row.version_id,
        document=row.document,
        is_default=row.version_id == default_version_id,
        created_at=row.created_at,
    )


class SqlManagedPolicies:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # -- policies -------------------------------------------------------------------------------

    def get(self, account_id: str, arn: str) -> ManagedPolicy | None:
        row = self._conn.execute(
            _select_policies(account_id).where(
                _p.arn == arn, _p.account_id.in_((account_id, AWS_MANAGED_ACCOUNT))
            )
        ).first()
        return _policy(row) if row else None

    def get_by_name(self, account_id: str, name: str) -> ManagedPolicy | None:
        row = self._conn.execute(
            _select_policies(account_id).where(
                _p.account_id == account_id, _p.name_lower == name.lower()
            )
        ).first()
        return _policy(row) if row else None

    def add(self, policy: ManagedPolicy, first_version: PolicyVersion) -> None:
        self._conn.execute(
            insert(t.managed_policies).values(
                arn=policy.arn,
                id=policy.id,
                account_id=policy.account_id,
                name=policy.name,
                name_lower=policy.name.lower(),
                path=policy.path,
                description=policy.description,
                default_version_id=policy.default_version_id,
                next_version=int(first_version.version_id[1:]) + 1,
                created_at=policy.created_at,
                updated_at=policy.updated_at,
            )
        )
        self.add_version(first_version)

    def update(self, policy: ManagedPolicy) -> None:
        self._conn.execute(
            update(t.managed_policies)
            .where(_p.arn == policy.arn)
            .values(
                default_version_id=policy.default_version_id,
                description=policy.description,
                updated_at=policy.updated_at,
            )
        )

    def delete(self, arn: str) -> None:
        self._conn.execute(delete(t.managed_policies).where(_p.arn == arn))

    def list(
        self,
        account_id: str,
        *,
        scope: str,
        only_attached: bool,
        path_prefix: str,
        usage: str | None,
        marker: str | None,
        max_items: int,
    ) -> Page[ManagedPolicy]:
        owners = {
            PolicyScope.ALL: (account_id, AWS_MANAGED_ACCOUNT),
            PolicyScope.AWS: (AWS_MANAGED_ACCOUNT,),
            PolicyScope.LOCAL: (account_id,),
        }[scope]
        stmt = _select_policies(account_id).where(_p.account_id.in_(owners))
        if path_prefix != "/":
            stmt = stmt.where(path_starts_with(_p.path, path_prefix))
        attached = exists().where(_a.policy_arn == _p.arn, _a.account_id == account_id)
        as_boundary = exists().where(
            t.users.c.permissions_boundary_arn == _p.arn, t.users.c.account_id == account_id
        ) | exists().where(
            t.roles.c.permissions_boundary_arn == _p.arn, t.roles.c.account_id == account_id
        )
        if usage == "PermissionsPolicy":
            stmt = stmt.where(attached)
        elif usage == "PermissionsBoundary":
            stmt = stmt.where(as_boundary)
        elif only_attached:
            stmt = stmt.where(attached)
        return fetch_page(self._conn, stmt, (_p.name_lower, _p.arn), marker, max_items, _policy)

    def count_local(self, account_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.managed_policies)
                .where(_p.account_id == account_id)
            ).scalar_one()
        )

    # -- versions -------------------------------------------------------------------------------

    def _default_id(self, arn: str) -> str | None:
        value = self._conn.execute(select(_p.default_version_id).where(_p.arn == arn)).scalar()
        return str(value) if value is not None else None

    def get_version(self, arn: str, version_id: str) -> PolicyVersion | None:
        default = self._default_id(arn)
        if default is None:
            return None
        row = self._conn.execute(
            select(t.policy_versions).where(_v.policy_arn == arn, _v.version_id == version_id)
        ).first()
        return _version(row, default) if row else None

    def default_version(self, arn: str) -> PolicyVersion | None:
        row = self._conn.execute(
            select(t.policy_versions)
            .join(t.managed_policies, _p.arn == _v.policy_arn)
            .where(_v.policy_arn == arn, _v.version_id == _p.default_version_id)
        ).first()
        return _version(row, row.version_id) if row else None

    def versions(self, arn: str) -> Sequence[PolicyVersion]:
        default = self._default_id(arn)
        if default is None:
            return []
        rows = self._conn.execute(select(t.policy_versions).where(_v.policy_arn == arn)).all()
        found = [_version(r, default) for r in rows]
        return sorted(found, key=lambda v: int(v.version_id[1:]), reverse=True)

    def add_version(self, version: PolicyVersion) -> None:
        self._conn.execute(
            insert(t.policy_versions).values(
                policy_arn=version.policy_arn,
                version_id=version.version_id,
                document=version.document,
                created_at=version.created_at,
            )
        )

    def delete_version(self, arn: str, version_id: str) -> None:
        self._conn.execute(
            delete(t.policy_versions).where(_v.policy_arn == arn, _v.version_id == version_id)
        )

    def next_version_number(self, arn: str) -> int:
        """Reserve the next version number (AWS never reuses one: v1, v2, … even after
        deletions)."""
        number = int(self._conn.execute(select(_p.next_version).where(_p.arn == arn)).scalar_one())
        self._conn.execute(
            update(t.managed_policies).where(_p.arn == arn).values(next_version=number + 1)
        )
        return number

    # -- attachments ----------------------------------------------------------------------------

    def attach(
        self, account_id: str, kind: PolicyOwnerKind, owner_id: str, arn: str, at: dt.datetime
    ) -> None:
        self._conn.execute(
            insert(t.policy_attachments).values(
                owner_kind=kind.value,
                owner_id=owner_id,
                policy_arn=arn,
                account_id=account_id,
                attached_at=at,
            )
        )

    def detach(self, kind: PolicyOwnerKind, owner_id: str, arn: str) -> bool:
        result = self._conn.execute(
            delete(t.policy_attachments).where(
                _a.owner_kind == kind.value, _a.owner_id == owner_id, _a.policy_arn == arn
            )
        )
        return result.rowcount > 0

    def is_attached(self, kind: PolicyOwnerKind, owner_id: str, arn: str) -> bool:
        row = self._conn.execute(
            select(literal(1)).where(
                _a.owner_kind == kind.value, _a.owner_id == owner_id, _a.policy_arn == arn
            )
        ).first()
        return row is not None

    def _attached_stmt(self, kind: PolicyOwnerKind, owner_id: str) -> Any:
        return (
            select(_p.arn, _p.name)
            .join(t.policy_attachments, _a.policy_arn == _p.arn)
            .where(_a.owner_kind == kind.value, _a.owner_id == owner_id)
        )

    def attached(
        self,
        kind: PolicyOwnerKind,
        owner_id: str,
        *,
        path_prefix: str,
        marker: str | None,
        max_items: int,
    ) -> Page[AttachedPolicy]:
        stmt = self._attached_stmt(kind, owner_id)
        if path_prefix != "/":
            stmt = stmt.where(path_starts_with(_p.path, path_prefix))
        return fetch_page(
            self._conn,
            stmt,
            (_p.name_lower, _p.arn),
            marker,
            max_items,
            lambda r: AttachedPolicy(arn=r.arn, name=r.name),
        )

    def all_attached(self, kind: PolicyOwnerKind, owner_id: str) -> Sequence[AttachedPolicy]:
        rows = self._conn.execute(self._attached_stmt(kind, owner_id).order_by(_p.name_lower)).all()
        return [AttachedPolicy(arn=r.arn, name=r.name) for r in rows]

    def attached_documents(
        self, kind: PolicyOwnerKind, owner_id: str
    ) -> Sequence[tuple[AttachedPolicy, str]]:
        rows = _ATTACHED_DOCUMENTS.rows(self._conn, {"b_kind": kind.value, "b_owner": owner_id})
        return [(AttachedPolicy(arn=arn, name=name), document) for arn, name, document in rows]

    def count_attached(self, kind: PolicyOwnerKind, owner_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.policy_attachments)
                .where(_a.owner_kind == kind.value, _a.owner_id == owner_id)
            ).scalar_one()
        )

    def attachment_count(self, account_id: str, arn: str) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.policy_attachments)
                .where(_a.account_id == account_id, _a.policy_arn == arn)
            ).scalar_one()
        )

    def entities_for_policy(
        self, account_id: str, arn: str
    ) -> Sequence[tuple[PolicyOwnerKind, str]]:
        rows = self._conn.execute(
            select(_a.owner_kind, _a.owner_id).where(
                _a.account_id == account_id, _a.policy_arn == arn
            )
        ).all()
        return [(PolicyOwnerKind(r.owner_kind), r.owner_id) for r in rows]

    def boundary_usage_count(self, account_id: str, arn: str) -> int:
        policy = self.get(account_id, arn)
        return policy.permissions_boundary_usage_count if policy is not None else 0
