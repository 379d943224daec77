"""Backups: a consistent snapshot of the whole data set as portable JSON lines.

One backup restores into SQLite or PostgreSQL alike, so it is also how a data set moves from one
to the other. Secrets stay exactly as stored — encrypted under the master key — so a backup is
useless without that key and the restoring side must hold it (the header carries the key's
check value, never the key).

Format (``iamd-backup`` version 1), one JSON document per line::

    {"format": "iamd-backup", "version": 1, "schema_revision": "0002", "created_at": "...",
     "master_key_check": "<32 hex>", "tables": ["meta", "accounts", ...]}
    {"table": "accounts", "columns": ["id", "name", "created_at", "version"]}
    ["123456789012", "default", "2026-01-01T00:00:00+00:00", 7]
    ...
    {"end": {"meta": 3, "accounts": 1, ...}}

Every table of :data:`iamd.storage.sql.schema.metadata` is written (new tables are included
without any change here), parents before children, rows in primary-key order. Values: text and
numbers as JSON, timestamps as ISO 8601 with their UTC offset, binary columns as base64. The
closing ``end`` line counts the rows of each table: a truncated file is refused.

The snapshot is one read transaction: SQLite's deferred ``BEGIN`` in WAL mode, PostgreSQL's
``REPEATABLE READ, READ ONLY``. Writers are never blocked while it runs.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, DateTime, LargeBinary, Table, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.types import TypeDecorator

from iamd.storage.sql import schema as t
from iamd.storage.sql.migrate import current_revision, head_revision

__all__ = [
    "BACKUP_FORMAT",
    "BACKUP_VERSION",
    "BackupError",
    "BackupHeader",
    "BackupSummary",
    "read_header",
    "restore_backup",
    "write_backup",
]

BACKUP_FORMAT = "iamd-backup"
BACKUP_VERSION = 1
_MASTER_KEY_CHECK = "master_key_check"
_BATCH_ROWS = 1000


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class BackupHeader:
    version: int
    schema_revision: str
    created_at: str
    master_key_check: str | None
    tables: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BackupSummary:
    header: BackupHeader
    rows: Mapping[str, int]

    @property
    def accounts(self) -> int:
        return self.rows.get("accounts", 0)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# -- values --------------------------------------------------------------------------------------


def _kind(column: Column[Any]) -> str:
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, LargeBinary):
        return "binary"
    if isinstance(kind, DateTime):
        return "datetime"
    return "plain"


def _encode(kind: str, value: Any) -> Any:
    if value is None or kind == "plain":
        return value
    if kind == "binary":
        return base64.b64encode(bytes(value)).decode("ascii")
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise BackupError(f"unexpected timestamp {value!r}")
    return value.isoformat()


def _decode(kind: str, value: Any) -> Any:
    if value is None or kind == "plain":
        return value
    if not isinstance(value, str):
        raise BackupError(f"expected a string for a {kind} value, not {type(value).__name__}")
    if kind == "binary":
        return base64.b64decode(value, validate=True)
    return dt.datetime.fromisoformat(value)


def _tables() -> list[Table]:
    return list(t.metadata.sorted_tables)


# -- writing -------------------------------------------------------------------------------------


def write_backup(engine: Engine, out: TextIO, *, now: dt.datetime) -> BackupSummary:
    """Write a snapshot of the whole data set to ``out``; the schema must be at this iamd's
    newest revision (``iamd migrate``)."""
    head = head_revision()
    tables = _tables()
    counts: dict[str, int] = {}
    with engine.connect().execution_options(iamd_read_only=True) as conn, conn.begin():
        revision = MigrationContext.configure(conn).get_current_revision()
        if revision != head:
            raise BackupError(
                f"the database schema is at revision {revision or 'none'} and this iamd "
                f"writes backups of revision {head}: run `iamd migrate` first"
            )
        check = conn.execute(
            select(t.meta.c.value).where(t.meta.c.key == _MASTER_KEY_CHECK)
        ).scalar()
        header = BackupHeader(
            BACKUP_VERSION,
            head,
            now.astimezone(dt.UTC).isoformat(),
            str(check) if check is not None else None,
            tuple(table.name for table in tables),
        )
        _line(
            out,
            {
                "format": BACKUP_FORMAT,
                "version": header.version,
                "schema_revision": header.schema_revision,
                "created_at": header.created_at,
                "master_key_check": header.master_key_check,
                "tables": list(header.tables),
            },
        )
        for table in tables:
            counts[table.name] = _write_table(conn, table, out)
        _line(out, {"end": counts})
    return BackupSummary(header, counts)


def _write_table(conn: Connection, table: Table, out: TextIO) -> int:
    columns = list(table.columns)
    kinds = [_kind(c) for c in columns]
    _line(out, {"table": table.name, "columns": [c.name for c in columns]})
    query = select(*columns).order_by(*table.primary_key.columns)
    count = 0
    for row in conn.execution_options(stream_results=True, yield_per=_BATCH_ROWS).execute(query):
        _line(out, [_encode(kind, value) for kind, value in zip(kinds, row, strict=True)])
        count += 1
    return count


def _line(out: TextIO, document: object) -> None:
    out.write(json.dumps(document, separators=(",", ":"), ensure_ascii=False))
    out.write("\n")


# -- reading -------------------------------------------------------------------------------------


def read_header(lines: Iterator[str]) -> BackupHeader:
    """The header of a backup (its first line)."""
    first = next(lines, None)
    try:
        document = json.loads(first) if first else None
    except json.JSONDecodeError:
        document = None
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise BackupError("not an iamd backup (no iamd-backup header line)")
    if document.get("version") != BACKUP_VERSION:
        raise BackupError(
            f"backup format version {document.get('version')} is not one this iamd reads "
            f"({BACKUP_VERSION})"
        )
    try:
        return BackupHeader(
            int(document["version"]),
            str(document["schema_revision"]),
            str(document["created_at"]),
            None if document.get("master_key_check") is None else str(document["master_key_check"]),
            tuple(str(name) for name in document["tables"]),
        )
    except (KeyError, TypeError, ValueError):
        raise BackupError("the backup's header line is incomplete") from None


def _documents(lines: Iterable[str]) -> Iterator[Any]:
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError:
            raise BackupError(f"line {number} of the backup is not JSON (damaged file?)") from None


# -- restoring -----------------------------------------------------------------------------------


def restore_backup(
    engine: Engine,
    source: TextIO,
    *,
    replace: bool = False,
    accept_master_key: Callable[[str | None], bool],
) -> BackupSummary:
    """Restore a backup into ``engine``'s database, whose schema must be at this iamd's newest
    revision, in one transaction: all of it, or nothing.

    Refuses a database that already holds accounts unless ``replace`` (then everything in it
    is replaced), and a backup whose master key check value ``accept_master_key`` does not
    accept (its secrets could not be decrypted). Account change counters come back higher
    than any the target had, so no running node trusts a cache of what was replaced.
    """
    lines = iter(source)
    header = read_header(lines)
    head = head_revision()
    if header.schema_revision != head:
        raise BackupError(
            f"the backup is of schema revision {header.schema_revision} and this iamd restores "
            f"revision {head}: restore it with the iamd version that wrote it, then upgrade"
        )
    if current_revision(engine) != head:
        raise BackupError("the target database's schema is not at this iamd's revision")
    if not accept_master_key(header.master_key_check):
        raise BackupError(
            "the backup's secrets are encrypted under a master key this node does not hold: "
            "restore with the master key of the backed-up data set (IAMD_MASTER_KEY, or its "
            "master.key in the data directory)"
        )
    known = {table.name: table for table in _tables()}
    unknown = [name for name in header.tables if name not in known]
    if unknown:
        raise BackupError(f"the backup has tables this iamd does not know: {unknown}")
    with engine.connect().execution_options(iamd_write=True) as conn, conn.begin():
        accounts = conn.execute(select(func.count()).select_from(t.accounts)).scalar_one()
        if accounts and not replace:
            raise BackupError(
                f"the target already holds {accounts} account(s): restore into an empty "
                "database, or pass --replace to overwrite everything in it"
            )
        floor = conn.execute(select(func.max(t.accounts.c.version))).scalar() or 0
        for table in reversed(_tables()):
            conn.execute(delete(table))
        counts = _insert_all(conn, known, _documents(lines))
        if counts.keys() != set(header.tables):
            raise BackupError("the backup does not hold every table its header names")
        conn.execute(update(t.accounts).values(version=t.accounts.c.version + int(floor) + 1))
    return BackupSummary(header, counts)


def _insert_all(
    conn: Connection, known: Mapping[str, Table], documents: Iterator[Any]
) -> dict[str, int]:
    counts: dict[str, int] = {}
    table: Table | None = None
    names: list[str] = []
    kinds: list[str] = []
    batch: list[dict[str, Any]] = []
    for document in documents:
        if isinstance(document, list):
            if table is None or len(document) != len(names):
                raise BackupError("a row of the backup does not match its table's columns")
            batch.append({n: _decode(k, v) for n, k, v in zip(names, kinds, document, strict=True)})
            if len(batch) >= _BATCH_ROWS:
                _flush(conn, table, batch)
            counts[table.name] += 1
        elif isinstance(document, dict) and "table" in document:
            if table is not None:
                _flush(conn, table, batch)
            table = known.get(str(document["table"]))
            if table is None or table.name in counts:
                raise BackupError(f"unexpected table {document['table']!r} in the backup")
            names = [str(name) for name in document.get("columns", [])]
            if set(names) != {c.name for c in table.columns}:
                raise BackupError(f"the backup's columns of {table.name} are not this schema's")
            kinds = [_kind(table.columns[name]) for name in names]
            counts[table.name] = 0
        elif isinstance(document, dict) and "end" in document:
            if table is not None:
                _flush(conn, table, batch)
            if document["end"] != counts:
                raise BackupError("the backup's row counts do not match its rows (damaged file?)")
            return counts
        else:
            raise BackupError("unexpected line in the backup")
    raise BackupError("the backup ends before its last line (truncated file?)")


def _flush(conn: Connection, table: Table, batch: list[dict[str, Any]]) -> None:
    if batch:
        conn.execute(insert(table), batch)
        batch.clear()
