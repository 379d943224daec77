"""Alembic environment: migrations run on the connection that :mod:`iamd.storage.sql.migrate`
hands over (``config.attributes["connection"]``)."""

from __future__ import annotations

from alembic import context

from iamd.storage.sql.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
