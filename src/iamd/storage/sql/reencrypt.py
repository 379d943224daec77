"""Rewriting the encrypted columns in place, for a master key rotation, while nodes serve.

Rows are read in primary-key order, a batch at a time, each batch in a short transaction of its
own; a row is written back only if its ciphertext is still the one that was read (compare and
set), so a concurrent change — a key deleted, a credential reset — is never overwritten. The
plaintext does not change, so no cache anywhere needs to be invalidated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import LargeBinary, Table, and_, select, tuple_, update
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

from iamd.storage.sql import schema as t

__all__ = ["ColumnPass", "Recrypt", "binary_columns", "reencrypt_column"]

_BATCH_ROWS = 200

Recrypt = Callable[[Mapping[str, Any], bytes], bytes | None]
"""Given a row and its ciphertext: the new ciphertext, or None when it needs no change.
Raises when the ciphertext cannot be decrypted."""


@dataclass(slots=True)
class ColumnPass:
    """What one pass over one column found."""

    table: str
    column: str
    scanned: int = 0
    rewritten: int = 0
    changed_meanwhile: int = 0
    failed: list[str] = field(default_factory=list)
    """Primary keys (as text) of rows whose ciphertext could not be decrypted."""


def binary_columns() -> list[tuple[str, str]]:
    """Every (table, column) of the schema that holds bytes."""
    found = []
    for table in t.metadata.sorted_tables:
        for column in table.columns:
            kind = column.type
            if isinstance(kind, TypeDecorator):
                kind = kind.impl_instance
            if isinstance(kind, LargeBinary):
                found.append((table.name, column.name))
    return found


def reencrypt_column(
    engine: Engine, table_name: str, column_name: str, recrypt: Recrypt
) -> ColumnPass:
    """One pass over ``table.column``: every ciphertext ``recrypt`` replaces is written back."""
    table: Table = t.metadata.tables[table_name]
    column = table.columns[column_name]
    keys = list(table.primary_key.columns)
    result = ColumnPass(table_name, column_name)
    after: tuple[Any, ...] | None = None
    while True:
        query = select(table).where(column.is_not(None)).order_by(*keys).limit(_BATCH_ROWS)
        if after is not None:
            query = query.where(tuple_(*keys) > tuple_(*after))
        with engine.connect() as conn, conn.begin():
            rows = [dict(row._mapping) for row in conn.execute(query)]
        if not rows:
            return result
        after = tuple(rows[-1][k.name] for k in keys)
        updates = []
        for row in rows:
            result.scanned += 1
            old = bytes(row[column_name])
            try:
                new = recrypt(row, old)
            except Exception:  # any failure to decrypt: report the row, go on with the rest
                result.failed.append("/".join(str(row[k.name]) for k in keys))
                continue
            if new is not None:
                updates.append((row, old, new))
        if not updates:
            continue
        with engine.connect().execution_options(iamd_write=True) as conn, conn.begin():
            for row, old, new in updates:
                match = and_(*(k == row[k.name] for k in keys), column == old)
                done = conn.execute(update(table).where(match).values({column_name: new}))
                if done.rowcount:
                    result.rewritten += 1
                else:
                    result.changed_meanwhile += 1
