"""The schema changes only through Alembic: the migrations build exactly what schema.py says."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from iamd.storage.sql import (
    SchemaMismatch,
    check_schema,
    current_revision,
    head_revision,
    make_engine,
    sqlite_url,
)
from iamd.storage.sql.schema import metadata


def test_migrations_build_the_declared_schema(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    check_schema(engine, create_if_empty=True)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    engine.dispose()


def test_a_server_refuses_a_schema_it_does_not_know(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    check_schema(engine, create_if_empty=True)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'ffff_future'")
    try:
        check_schema(engine, create_if_empty=True)
    except SchemaMismatch as err:
        assert "does not know" in str(err)
    else:
        raise AssertionError("an unknown schema revision was accepted")
    finally:
        engine.dispose()


def test_an_empty_database_is_not_created_unless_asked(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    try:
        check_schema(engine, create_if_empty=False)
    except SchemaMismatch as err:
        assert "iamd migrate" in str(err)
    else:
        raise AssertionError("an empty database was accepted")
    finally:
        engine.dispose()
