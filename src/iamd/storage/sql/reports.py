"""Reports and service last accessed records in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Row

from iamd.domain import LastAccess, Report, ReportKind
from iamd.storage.sql import schema as t

__all__ = ["SqlLastAccess", "SqlReports"]

_r = t.reports.c
_l = t.last_access.c
_BATCH = 500


def _report(row: Row[Any]) -> Report:
    return Report(
        account_id=row.account_id,
        kind=ReportKind(row.kind),
        id=row.id,
        state=row.state,
        created_at=row.created_at,
        completed_at=row.completed_at,
        content=bytes(row.content) if row.content is not None else None,
        parameters=row.parameters,
    )


class SqlReports:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: str, kind: ReportKind, report_id: str) -> Report | None:
        row = self._conn.execute(
            select(t.reports).where(
                _r.account_id == account_id, _r.kind == kind.value, _r.id == report_id
            )
        ).first()
        return _report(row) if row else None

    def put(self, report: Report) -> None:
        values = {
            "state": report.state,
            "created_at": report.created_at,
            "completed_at": report.completed_at,
            "content": report.content,
            "parameters": report.parameters,
        }
        changed = self._conn.execute(
            update(t.reports)
            .where(
                _r.account_id == report.account_id,
                _r.kind == report.kind.value,
                _r.id == report.id,
            )
            .values(**values)
        ).rowcount
        if changed == 0:
            self._conn.execute(
                insert(t.reports).values(
                    account_id=report.account_id, kind=report.kind.value, id=report.id, **values
                )
            )

    def delete_before(self, account_id: str, kind: ReportKind, before: dt.datetime) -> None:
        self._conn.execute(
            delete(t.reports).where(
                _r.account_id == account_id, _r.kind == kind.value, _r.created_at < before
            )
        )


def _access(row: Row[Any]) -> LastAccess:
    return LastAccess(
        entity_arn=row.entity_arn,
        service_namespace=row.service_namespace,
        action=row.action,
        last_accessed_at=row.last_accessed_at,
        region=row.region,
    )


class SqlLastAccess:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def record(self, account_id: str, access: LastAccess) -> None:
        key = (
            _l.entity_arn == access.entity_arn,
            _l.service_namespace == access.service_namespace,
            _l.action == access.action,
        )
        stored = self._conn.execute(select(_l.last_accessed_at).where(*key)).scalar()
        if stored is None:
            self._conn.execute(
                insert(t.last_access).values(
                    account_id=account_id,
                    entity_arn=access.entity_arn,
                    service_namespace=access.service_namespace,
                    action=access.action,
                    last_accessed_at=access.last_accessed_at,
                    region=access.region,
                )
            )
        elif stored < access.last_accessed_at:
            self._conn.execute(
                update(t.last_access)
                .where(*key)
                .values(last_accessed_at=access.last_accessed_at, region=access.region)
            )

    def for_entities(self, account_id: str, entity_arns: Sequence[str]) -> Sequence[LastAccess]:
        found: list[LastAccess] = []
        arns = list(entity_arns)
        for start in range(0, len(arns), _BATCH):
            rows = self._conn.execute(
                select(t.last_access).where(
                    _l.account_id == account_id, _l.entity_arn.in_(arns[start : start + _BATCH])
                )
            ).all()
            found.extend(_access(row) for row in rows)
        return found
