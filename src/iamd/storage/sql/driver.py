"""SELECTs that run on every request, executed on the unit of work's own DBAPI connection.

SQLAlchemy Core spends about 25 µs around each statement (execution context, result object,
events) where SQLite itself needs 2 to 5: a request that reads the account's change counter, a
user and its tags paid more for the wrapping than for the reads (docs/benchmarks.md). A
:class:`DriverQuery` is a Core ``select`` compiled once per dialect by SQLAlchemy — the same SQL
text Core would send — run with the DBAPI cursor of the same connection, so inside the same
transaction, and its rows converted by the columns' own SQLAlchemy result processors (so
``UtcDateTime`` values come back exactly as through Core).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError

__all__ = ["DriverQuery"]

_Processor = Callable[[Any], Any] | None


class _Compiled:
    __slots__ = ("names", "positional", "processors", "sql")

    def __init__(self, stmt: Select[Any], dialect: Dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        processors: list[_Processor] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in stmt.selected_columns
        ]
        self.processors: tuple[_Processor, ...] | None = (
            tuple(processors) if any(p is not None for p in processors) else None
        )


class DriverQuery:
    """A ``select`` with named bind parameters, run through the DBAPI cursor (see above)."""

    def __init__(self, stmt: Select[Any]) -> None:
        self._stmt = stmt
        self._compiled: dict[str, _Compiled] = {}

    @property
    def columns(self) -> Sequence[Any]:
        """The selected columns, in the order of the rows' values."""
        return list(self._stmt.selected_columns)

    def _for(self, dialect: Dialect) -> _Compiled:
        key = f"{dialect.name}+{dialect.driver}"
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = _Compiled(self._stmt, dialect)
        return found

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        compiled = self._for(conn.dialect)
        args: Sequence[Any] | Mapping[str, Any] = (
            tuple(params[name] for name in compiled.names) if compiled.positional else params
        )
        dialect = conn.dialect
        dbapi_conn: Any = conn.connection.dbapi_connection
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(compiled.sql, args)
            found = cursor.fetchall()
        except dialect.loaded_dbapi.Error as err:
            # As Core would: a lost connection is invalidated, and the error is SQLAlchemy's
            # (the store turns OperationalError into StoreUnavailable).
            lost = dialect.is_disconnect(err, dbapi_conn, cursor)
            if lost:
                conn.invalidate(err)
            raise DBAPIError.instance(
                compiled.sql,
                args,
                err,
                dialect.loaded_dbapi.Error,
                connection_invalidated=lost,
                dialect=dialect,
            ) from err
        finally:
            cursor.close()
        processors = compiled.processors
        if processors is None:
            return [tuple(row) for row in found]
        return [
            tuple(
                value if p is None else p(value) for p, value in zip(processors, row, strict=True)
            )
            for row in found
        ]

    def first(self, conn: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        found = self.rows(conn, params)
        return found[0] if found else None
