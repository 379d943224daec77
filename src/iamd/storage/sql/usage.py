"""Usage batches (``iamd.storage.usage``) in SQL: one transaction per batch, one statement per
kind of entry (executemany), each keeping the later of the stored and the new time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, bindparam, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine

from iamd.storage.sql import schema as t
from iamd.storage.usage import UsageBatch

__all__ = ["SqlUsage"]

_CHUNK = 500

_KEYS = (
    update(t.access_keys)
    .where(
        t.access_keys.c.id == bindparam("b_id"),
        or_(
            t.access_keys.c.last_used_at.is_(None),
            t.access_keys.c.last_used_at < bindparam("b_at"),
        ),
    )
    .values(
        last_used_at=bindparam("b_at"),
        last_used_service=bindparam("b_service"),
        last_used_region=bindparam("b_region"),
    )
)
_ROLES = (
    update(t.roles)
    .where(
        t.roles.c.id == bindparam("b_id"),
        or_(t.roles.c.last_used_at.is_(None), t.roles.c.last_used_at < bindparam("b_at")),
    )
    .values(last_used_at=bindparam("b_at"), last_used_region=bindparam("b_region"))
)
_PASSWORDS = (
    update(t.users)
    .where(
        t.users.c.id == bindparam("b_id"),
        or_(
            t.users.c.password_last_used.is_(None), t.users.c.password_last_used < bindparam("b_at")
        ),
    )
    .values(password_last_used=bindparam("b_at"))
)
_l = t.last_access.c
_ACCESS_KEY = (_l.entity_arn, _l.service_namespace, _l.action)


class SqlUsage:
    """The store's side of :data:`iamd.storage.usage.UsageSink`."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self, batch: UsageBatch) -> None:
        if not len(batch):
            return
        with self._engine.connect().execution_options(iamd_write=True) as conn, conn.begin():
            _many(
                conn,
                _KEYS,
                [
                    {"b_id": k, "b_at": u.at, "b_service": u.service, "b_region": u.region}
                    for k, u in batch.access_keys.items()
                ],
            )
            _many(
                conn,
                _ROLES,
                [{"b_id": k, "b_at": u.at, "b_region": u.region} for k, u in batch.roles.items()],
            )
            _many(conn, _PASSWORDS, [{"b_id": k, "b_at": at} for k, at in batch.passwords.items()])
            _last_access(conn, batch)


def _many(conn: Connection, stmt: Any, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _CHUNK):
        conn.execute(stmt, list(rows[start : start + _CHUNK]))


def _role_arns(conn: Connection, role_ids: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    r = t.roles.c
    for start in range(0, len(role_ids), _CHUNK):
        rows = conn.execute(
            select(r.id, r.account_id, r.path, r.name).where(
                r.id.in_(role_ids[start : start + _CHUNK])
            )
        ).all()
        for row in rows:
            found[row.id] = f"arn:aws:iam::{row.account_id}:role{row.path}{row.name}"
    return found


def _last_access(conn: Connection, batch: UsageBatch) -> None:
    """Upserts, one row per (identity, service, action); identities and accounts deleted since
    the request are skipped."""
    if not batch.services:
        return
    role_ids = sorted({u.entity for u in batch.services if u.entity_kind == "role"})
    roles = _role_arns(conn, role_ids) if role_ids else {}
    accounts = sorted({u.account_id for u in batch.services})
    live = set(conn.execute(select(t.accounts.c.id).where(t.accounts.c.id.in_(accounts))).scalars())
    latest: dict[tuple[str, str, str], tuple[str, Any, str]] = {}
    for use, when in batch.services.items():
        arn = roles.get(use.entity) if use.entity_kind == "role" else use.entity
        if arn is None or use.account_id not in live:
            continue
        key = (arn, use.service_namespace, use.action)
        seen = latest.get(key)
        if seen is None or seen[1] < when.at:
            latest[key] = (use.account_id, when.at, when.region)
    if not latest:
        return
    keys = list(latest)
    stored: dict[tuple[str, str, str], Any] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        arns = sorted({k[0] for k in chunk})
        rows = conn.execute(
            select(*_ACCESS_KEY, _l.last_accessed_at).where(_l.entity_arn.in_(arns))
        ).all()
        for row in rows:
            stored[(row.entity_arn, row.service_namespace, row.action)] = row.last_accessed_at
    inserts = []
    updates = []
    for key, (account_id, at, region) in latest.items():
        previous = stored.get(key)
        values = {
            "b_arn": key[0],
            "b_ns": key[1],
            "b_action": key[2],
            "b_at": at,
            "b_region": region,
        }
        if key not in stored:
            inserts.append({**values, "b_account": account_id})
        elif previous is None or previous < at:
            updates.append(values)
    _many(
        conn,
        insert(t.last_access).values(
            account_id=bindparam("b_account"),
            entity_arn=bindparam("b_arn"),
            service_namespace=bindparam("b_ns"),
            action=bindparam("b_action"),
            last_accessed_at=bindparam("b_at"),
            region=bindparam("b_region"),
        ),
        inserts,
    )
    _many(
        conn,
        update(t.last_access)
        .where(
            and_(
                _l.entity_arn == bindparam("b_arn"),
                _l.service_namespace == bindparam("b_ns"),
                _l.action == bindparam("b_action"),
            )
        )
        .values(last_accessed_at=bindparam("b_at"), region=bindparam("b_region")),
        updates,
    )
