"""The backup format, in process: every row of every table comes back equal, whichever backend
wrote it; anything damaged is refused before a row is kept."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from iamd.server import Opened, ServerConfig, open_data
from iamd.services import create_account
from iamd.storage.sql import check_schema, make_engine, sqlite_url
from iamd.storage.sql import schema as t
from iamd.storage.sql.backup import BackupError, restore_backup, write_backup
from iamd_testkit import Backend

NOW = dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)


@pytest.fixture
def source(backend: Backend, tmp_path: Path) -> Iterator[Opened]:
    opened = open_data(
        ServerConfig(data_dir=tmp_path / "source", database_url=backend.database_url("format")),
        {},
    )
    new = create_account(opened.deps, name="with ünïcode")
    with opened.store.engine.connect().execution_options(iamd_write=True) as conn, conn.begin():
        conn.execute(
            insert(t.password_policies).values(
                account_id=new.account.id,
                minimum_password_length=14,
                require_symbols=True,
                require_numbers=False,
                require_uppercase_characters=True,
                require_lowercase_characters=False,
                allow_users_to_change_password=True,
                max_password_age=None,
                password_reuse_prevention=5,
                hard_expiry=False,
            )
        )
        conn.execute(
            insert(t.reports).values(
                account_id=new.account.id,
                kind="credential",
                id="",
                state="COMPLETE",
                created_at=NOW,
                completed_at=NOW,
                content=bytes(range(256)),
                parameters=None,
            )
        )
    try:
        yield opened
    finally:
        opened.store.close()


def _target(tmp_path: Path) -> Engine:
    (tmp_path / "target").mkdir(parents=True)
    engine = make_engine(sqlite_url(tmp_path / "target"))
    check_schema(engine, create_if_empty=True)
    return engine


def _rows(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    found = {}
    with engine.connect() as conn:
        for table in t.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            found[table.name] = [dict(row) for row in rows]
    for row in found["accounts"]:
        row.pop("version")  # restored above any version the target had seen
    return found


def _backup(opened: Opened) -> str:
    out = io.StringIO()
    write_backup(opened.store.engine, out, now=NOW)
    return out.getvalue()


def _accept(check: str | None) -> bool:
    return True


def test_every_row_of_every_table_comes_back_equal(source: Opened, tmp_path: Path) -> None:
    target = _target(tmp_path)
    try:
        summary = restore_backup(target, io.StringIO(_backup(source)), accept_master_key=_accept)
        assert summary.accounts == 1
        assert _rows(target) == _rows(source.store.engine)
    finally:
        target.dispose()


def test_a_backup_is_json_lines_with_a_header_and_row_counts(source: Opened) -> None:
    lines = _backup(source).splitlines()
    header, end = json.loads(lines[0]), json.loads(lines[-1])
    assert header["format"] == "iamd-backup"
    assert header["created_at"] == NOW.isoformat()
    assert set(end["end"]) == set(header["tables"]) == set(t.metadata.tables)
    assert end["end"]["accounts"] == 1
    assert len(lines) == 1 + len(header["tables"]) + sum(end["end"].values()) + 1


def _refused(text: str, tmp_path: Path, match: str) -> None:
    target = _target(tmp_path)
    try:
        with pytest.raises(BackupError, match=match):
            restore_backup(target, io.StringIO(text), accept_master_key=_accept)
        with target.connect() as conn:
            assert conn.execute(select(func.count()).select_from(t.accounts)).scalar() == 0
    finally:
        target.dispose()


def test_damaged_backups_are_refused(source: Opened, tmp_path: Path) -> None:
    lines = _backup(source).splitlines(keepends=True)
    rows = [i for i, line in enumerate(lines) if line.startswith("[")]
    without_a_row = "".join(line for i, line in enumerate(lines) if i != rows[-1])
    _refused(without_a_row, tmp_path / "a", "row counts")
    _refused("".join(lines[:-1]), tmp_path / "b", "truncated")
    _refused("not a backup\n", tmp_path / "c", "not an iamd backup")
    header = json.loads(lines[0])
    header["schema_revision"] = "9999"
    _refused(json.dumps(header) + "\n" + "".join(lines[1:]), tmp_path / "d", "revision 9999")
    garbled = "".join(lines[:-2]) + "{oops\n" + lines[-1]
    _refused(garbled, tmp_path / "e", "not JSON")


def test_a_backup_under_another_master_key_is_refused(source: Opened, tmp_path: Path) -> None:
    target = _target(tmp_path)
    try:
        with pytest.raises(BackupError, match="master key"):
            restore_backup(
                target, io.StringIO(_backup(source)), accept_master_key=lambda check: False
            )
    finally:
        target.dispose()
