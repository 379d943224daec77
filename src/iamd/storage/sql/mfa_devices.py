"""Virtual MFA devices in SQL. The seed column holds ciphertext only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, false, func, insert, or_, select, true, update
from sqlalchemy.engine import Connection, Row

from iamd.domain import User, VirtualMfaDevice
from iamd.storage.repositories import MfaAssignment, Page
from iamd.storage.sql import schema as t
from iamd.storage.sql.paging import fetch_page

__all__ = ["SqlMfaDevices"]

_m = t.mfa_devices.c
_u = t.users.c


def _device(row: Row[Any]) -> VirtualMfaDevice:
    return VirtualMfaDevice(
        serial_number=row.serial_number,
        account_id=row.account_id,
        name=row.name,
        path=row.path,
        seed_ciphertext=bytes(row.seed),
        created_at=row.created_at,
        user_id=row.user_id,
        root_assigned=bool(row.root_assigned),
        enabled_at=row.enabled_at,
        last_used_step=row.last_used_step,
    )


def _owner(user_id: str | None) -> Any:
    if user_id is None:
        return _m.root_assigned == true()
    return _m.user_id == user_id


class SqlMfaDevices:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: str, serial_number: str) -> VirtualMfaDevice | None:
        row = self._conn.execute(
            select(t.mfa_devices).where(
                _m.account_id == account_id, _m.serial_number == serial_number
            )
        ).first()
        return _device(row) if row else None

    def name_taken(self, account_id: str, name: str) -> bool:
        found = self._conn.execute(
            select(_m.serial_number).where(
                _m.account_id == account_id, _m.name_lower == name.lower()
            )
        ).first()
        return found is not None

    def count(self, account_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count()).select_from(t.mfa_devices).where(_m.account_id == account_id)
            ).scalar_one()
        )

    def add(self, device: VirtualMfaDevice) -> None:
        self._conn.execute(
            insert(t.mfa_devices).values(
                serial_number=device.serial_number,
                account_id=device.account_id,
                name=device.name,
                name_lower=device.name.lower(),
                path=device.path,
                seed=device.seed_ciphertext,
                created_at=device.created_at,
                user_id=device.user_id,
                root_assigned=device.root_assigned,
                enabled_at=device.enabled_at,
                last_used_step=device.last_used_step,
            )
        )

    def enable(self, serial_number: str, user_id: str | None, at: dt.datetime, step: int) -> None:
        self._conn.execute(
            update(t.mfa_devices)
            .where(_m.serial_number == serial_number)
            .values(
                user_id=user_id,
                root_assigned=user_id is None,
                enabled_at=at,
                last_used_step=step,
            )
        )

    def disable(self, serial_number: str) -> None:
        self._conn.execute(
            update(t.mfa_devices)
            .where(_m.serial_number == serial_number)
            .values(user_id=None, root_assigned=False, enabled_at=None)
        )

    def use_step(self, serial_number: str, step: int) -> bool:
        result = self._conn.execute(
            update(t.mfa_devices)
            .where(
                _m.serial_number == serial_number,
                or_(_m.last_used_step.is_(None), _m.last_used_step < step),
            )
            .values(last_used_step=step)
        )
        return result.rowcount == 1

    def delete(self, serial_number: str) -> None:
        self._conn.execute(delete(t.mfa_devices).where(_m.serial_number == serial_number))

    def enabled_for(self, account_id: str, user_id: str | None) -> Sequence[VirtualMfaDevice]:
        rows = self._conn.execute(
            select(t.mfa_devices)
            .where(_m.account_id == account_id, _m.enabled_at.is_not(None), _owner(user_id))
            .order_by(_m.serial_number)
        ).all()
        return [_device(r) for r in rows]

    def page_enabled_for(
        self, account_id: str, user_id: str | None, *, marker: str | None, max_items: int
    ) -> Page[VirtualMfaDevice]:
        stmt = select(t.mfa_devices).where(
            _m.account_id == account_id, _m.enabled_at.is_not(None), _owner(user_id)
        )
        return fetch_page(self._conn, stmt, (_m.serial_number,), marker, max_items, _device)

    def list(
        self, account_id: str, *, assignment: str, marker: str | None, max_items: int
    ) -> Page[MfaAssignment]:
        user_columns = [column.label(f"u_{column.name}") for column in t.users.c]
        stmt = (
            select(t.mfa_devices, *user_columns)
            .outerjoin(t.users, _u.id == _m.user_id)
            .where(_m.account_id == account_id)
        )
        if assignment == "Assigned":
            stmt = stmt.where(_m.enabled_at.is_not(None))
        elif assignment == "Unassigned":
            stmt = stmt.where(_m.enabled_at.is_(None), _m.root_assigned == false())
        return fetch_page(self._conn, stmt, (_m.serial_number,), marker, max_items, _assignment)


def _assignment(row: Row[Any]) -> MfaAssignment:
    user = None
    if row.u_id is not None:
        user = User(
            account_id=row.u_account_id,
            id=row.u_id,
            name=row.u_name,
            path=row.u_path,
            created_at=row.u_created_at,
            permissions_boundary_arn=row.u_permissions_boundary_arn,
            password_last_used=row.u_password_last_used,
        )
    return MfaAssignment(_device(row), user)
