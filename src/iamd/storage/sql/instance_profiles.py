"""Instance profiles in SQL; ``instance_profile_roles`` keys the role by profile, so a profile holds
at most one role."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection, Row

from iamd.domain import InstanceProfile, Role
from iamd.storage.repositories import Page
from iamd.storage.sql import schema as t
from iamd.storage.sql.paging import fetch_page, path_starts_with
from iamd.storage.sql.roles import role_from_row, select_roles

__all__ = ["SqlInstanceProfiles"]

_p = t.instance_profiles.c
_pr = t.instance_profile_roles.c


def _profile(row: Row[Any]) -> InstanceProfile:
    return InstanceProfile(
        account_id=row.account_id,
        id=row.id,
        name=row.name,
        path=row.path,
        created_at=row.created_at,
    )


class SqlInstanceProfiles:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: str, name: str) -> InstanceProfile | None:
        row = self._conn.execute(
            select(t.instance_profiles).where(
                _p.account_id == account_id, _p.name_lower == name.lower()
            )
        ).first()
        return _profile(row) if row else None

    def get_by_id(self, account_id: str, profile_id: str) -> InstanceProfile | None:
        row = self._conn.execute(
            select(t.instance_profiles).where(_p.account_id == account_id, _p.id == profile_id)
        ).first()
        return _profile(row) if row else None

    def add(self, profile: InstanceProfile) -> None:
        self._conn.execute(
            insert(t.instance_profiles).values(
                id=profile.id,
                account_id=profile.account_id,
                name=profile.name,
                name_lower=profile.name.lower(),
                path=profile.path,
                created_at=profile.created_at,
            )
        )

    def delete(self, account_id: str, profile_id: str) -> None:
        self._conn.execute(
            delete(t.instance_profile_roles).where(_pr.instance_profile_id == profile_id)
        )
        self._conn.execute(
            delete(t.instance_profiles).where(_p.account_id == account_id, _p.id == profile_id)
        )

    def list(
        self, account_id: str, *, path_prefix: str, marker: str | None, max_items: int
    ) -> Page[InstanceProfile]:
        stmt = select(t.instance_profiles).where(_p.account_id == account_id)
        if path_prefix != "/":
            stmt = stmt.where(path_starts_with(_p.path, path_prefix))
        return fetch_page(self._conn, stmt, (_p.name_lower, _p.id), marker, max_items, _profile)

    def count(self, account_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.instance_profiles)
                .where(_p.account_id == account_id)
            ).scalar_one()
        )

    def roles(self, profile_ids: Sequence[str]) -> Mapping[str, Role]:
        if not profile_ids:
            return {}
        rows = self._conn.execute(
            select_roles()
            .add_columns(_pr.instance_profile_id.label("profile_id"))
            .join(t.instance_profile_roles, _pr.role_id == t.roles.c.id)
            .where(_pr.instance_profile_id.in_(list(profile_ids)))
        ).all()
        return {row.profile_id: role_from_row(row) for row in rows}

    def add_role(self, profile_id: str, role_id: str) -> None:
        self._conn.execute(
            insert(t.instance_profile_roles).values(instance_profile_id=profile_id, role_id=role_id)
        )

    def remove_role(self, profile_id: str, role_id: str) -> bool:
        result = self._conn.execute(
            delete(t.instance_profile_roles).where(
                _pr.instance_profile_id == profile_id, _pr.role_id == role_id
            )
        )
        return result.rowcount > 0

    def for_role(
        self, account_id: str, role_id: str, *, marker: str | None, max_items: int
    ) -> Page[InstanceProfile]:
        stmt = (
            select(t.instance_profiles)
            .join(t.instance_profile_roles, _pr.instance_profile_id == _p.id)
            .where(_pr.role_id == role_id, _p.account_id == account_id)
        )
        return fetch_page(self._conn, stmt, (_p.name_lower, _p.id), marker, max_items, _profile)

    def count_for_role(self, role_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.instance_profile_roles)
                .where(_pr.role_id == role_id)
            ).scalar_one()
        )
