"""Schema upgrades through Alembic, and the check that a server knows the schema it opens."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

__all__ = ["SchemaMismatch", "check_schema", "current_revision", "head_revision", "upgrade"]

_MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaMismatch(Exception):
    """The database's schema is not the one this version of iamd knows."""


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def check_schema(engine: Engine, *, create_if_empty: bool) -> None:
    """Upgrade an empty database to the newest schema; refuse any other revision than head."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is None and create_if_empty:
        upgrade(engine)
        return
    known = {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}
    if current is not None and current not in known:
        raise SchemaMismatch(
            f"the database schema is at revision {current}, which this version of iamd does "
            "not know (it was written by a newer iamd)"
        )
    raise SchemaMismatch(
        f"the database schema is at revision {current or 'none'} and this iamd needs {head}: "
        "run `iamd migrate` first"
    )
