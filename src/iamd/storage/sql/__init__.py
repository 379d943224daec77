"""SQL storage (SQLAlchemy 2 Core) for SQLite and PostgreSQL."""

from iamd.storage.sql.aws_managed import load_aws_managed_policies
from iamd.storage.sql.engine import (
    DATABASE_FILE,
    is_postgresql,
    make_engine,
    sqlite_url,
    startup_lock,
)
from iamd.storage.sql.migrate import (
    SchemaMismatch,
    check_schema,
    current_revision,
    head_revision,
    upgrade,
)
from iamd.storage.sql.store import SqlStore, SqlUnitOfWork

__all__ = [
    "DATABASE_FILE",
    "SchemaMismatch",
    "SqlStore",
    "SqlUnitOfWork",
    "check_schema",
    "current_revision",
    "head_revision",
    "is_postgresql",
    "load_aws_managed_policies",
    "make_engine",
    "sqlite_url",
    "startup_lock",
    "upgrade",
]
