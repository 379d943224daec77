"""IAM roles in SQL (a role's ``trust_principal_ids`` as a JSON object ``{arn: unique id}``, NULL
when empty), with two things the ``roles`` table has no column for:

- a role's MaxSigninSessionDuration, kept in ``account_settings`` under
  ``role-max-signin-session-duration/<role id>`` and read back with a join;
- service-linked role deletion tasks, kept in ``reports`` with kind ``slr-deletion``, the task's
  uuid as id and the whole DeletionTaskId in ``parameters``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, delete, func, insert, literal, select, update
from sqlalchemy.engine import Connection, Row

from iamd.domain import DeletionTask, DeletionTaskStatus, Role
from iamd.storage.repositories import Page
from iamd.storage.sql import schema as t
from iamd.storage.sql.paging import fetch_page, path_starts_with

__all__ = ["SqlRoles", "role_from_row", "select_roles"]

_r = t.roles.c
_s = t.account_settings.c
_rep = t.reports.c

_SIGNIN_KEY = "role-max-signin-session-duration/"
_TASK_KIND = "slr-deletion"


def select_roles() -> Select[Any]:
    """Roles with their MaxSigninSessionDuration (``signin``, NULL when unset)."""
    setting = and_(_s.account_id == _r.account_id, _s.key == literal(_SIGNIN_KEY) + _r.id)
    return select(t.roles, _s.value.label("signin")).select_from(
        t.roles.outerjoin(t.account_settings, setting)
    )


def role_from_row(row: Row[Any]) -> Role:
    signin = row.signin
    return Role(
        account_id=row.account_id,
        id=row.id,
        name=row.name,
        path=row.path,
        created_at=row.created_at,
        assume_role_policy=row.assume_role_policy,
        max_session_duration=row.max_session_duration,
        description=row.description,
        permissions_boundary_arn=row.permissions_boundary_arn,
        last_used_at=row.last_used_at,
        last_used_region=row.last_used_region,
        service_linked_to=row.service_linked_to,
        max_signin_session_duration=int(signin) if signin is not None else None,
        trust_principal_ids=_principal_ids_from(row.trust_principal_ids),
    )


def _principal_ids_from(value: str | None) -> tuple[tuple[str, str], ...]:
    if not value:
        return ()
    found: dict[str, str] = json.loads(value)
    return tuple(found.items())


def _principal_ids_to(ids: tuple[tuple[str, str], ...]) -> str | None:
    return json.dumps(dict(ids), separators=(",", ":")) if ids else None


class SqlRoles:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: str, name: str) -> Role | None:
        row = self._conn.execute(
            select_roles().where(_r.account_id == account_id, _r.name_lower == name.lower())
        ).first()
        return role_from_row(row) if row else None

    def get_by_id(self, account_id: str, role_id: str) -> Role | None:
        row = self._conn.execute(
            select_roles().where(_r.account_id == account_id, _r.id == role_id)
        ).first()
        return role_from_row(row) if row else None

    def add(self, role: Role) -> None:
        self._conn.execute(
            insert(t.roles).values(
                id=role.id,
                account_id=role.account_id,
                name=role.name,
                name_lower=role.name.lower(),
                path=role.path,
                created_at=role.created_at,
                assume_role_policy=role.assume_role_policy,
                description=role.description,
                max_session_duration=role.max_session_duration,
                permissions_boundary_arn=role.permissions_boundary_arn,
                last_used_at=role.last_used_at,
                last_used_region=role.last_used_region,
                service_linked_to=role.service_linked_to,
                trust_principal_ids=_principal_ids_to(role.trust_principal_ids),
            )
        )
        self._store_signin(role)

    def update(self, role: Role) -> None:
        self._conn.execute(
            update(t.roles)
            .where(_r.id == role.id)
            .values(
                assume_role_policy=role.assume_role_policy,
                description=role.description,
                max_session_duration=role.max_session_duration,
                permissions_boundary_arn=role.permissions_boundary_arn,
                trust_principal_ids=_principal_ids_to(role.trust_principal_ids),
            )
        )
        self._store_signin(role)

    def _store_signin(self, role: Role) -> None:
        key = _SIGNIN_KEY + role.id
        self._conn.execute(
            delete(t.account_settings).where(_s.account_id == role.account_id, _s.key == key)
        )
        if role.max_signin_session_duration is not None:
            self._conn.execute(
                insert(t.account_settings).values(
                    account_id=role.account_id,
                    key=key,
                    value=str(role.max_signin_session_duration),
                )
            )

    def delete(self, account_id: str, role_id: str) -> None:
        self._conn.execute(
            delete(t.account_settings).where(
                _s.account_id == account_id, _s.key == _SIGNIN_KEY + role_id
            )
        )
        self._conn.execute(delete(t.roles).where(_r.account_id == account_id, _r.id == role_id))

    def list(
        self, account_id: str, *, path_prefix: str, marker: str | None, max_items: int
    ) -> Page[Role]:
        stmt = select_roles().where(_r.account_id == account_id)
        if path_prefix != "/":
            stmt = stmt.where(path_starts_with(_r.path, path_prefix))
        return fetch_page(
            self._conn, stmt, (_r.name_lower, _r.id), marker, max_items, role_from_row
        )

    def count(self, account_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count()).select_from(t.roles).where(_r.account_id == account_id)
            ).scalar_one()
        )

    def with_boundary(self, account_id: str, arn: str) -> Sequence[Role]:
        rows = self._conn.execute(
            select_roles()
            .where(_r.account_id == account_id, _r.permissions_boundary_arn == arn)
            .order_by(_r.name_lower)
        ).all()
        return [role_from_row(r) for r in rows]

    def record_use(self, role_id: str, at: dt.datetime, region: str) -> None:
        self._conn.execute(
            update(t.roles).where(_r.id == role_id).values(last_used_at=at, last_used_region=region)
        )

    # -- service-linked role deletion tasks ---------------------------------------------------

    def add_deletion_task(self, task: DeletionTask) -> None:
        done = task.status in (DeletionTaskStatus.SUCCEEDED, DeletionTaskStatus.FAILED)
        self._conn.execute(
            insert(t.reports).values(
                account_id=task.account_id,
                kind=_TASK_KIND,
                id=_task_key(task.id),
                state=task.status.value,
                created_at=task.created_at,
                completed_at=task.created_at if done else None,
                content=task.reason.encode() if task.reason is not None else None,
                parameters=task.id,
            )
        )

    def get_deletion_task(self, account_id: str, task_id: str) -> DeletionTask | None:
        row = self._conn.execute(
            select(t.reports).where(
                _rep.account_id == account_id,
                _rep.kind == _TASK_KIND,
                _rep.id == _task_key(task_id),
            )
        ).first()
        if row is None or row.parameters != task_id:
            return None
        return DeletionTask(
            account_id=row.account_id,
            id=row.parameters,
            status=DeletionTaskStatus(row.state),
            created_at=row.created_at,
            reason=row.content.decode() if row.content is not None else None,
        )


def _task_key(task_id: str) -> str:
    """The row key of a task: the uuid that ends its id."""
    return task_id.rsplit("/", 1)[-1][:64]
