"""``iamd migrate`` makes or upgrades the schema on either backend, and a node then serves it."""

from __future__ import annotations

from pathlib import Path

from iamd_nodes import node

from iamd.storage.sql import head_revision
from iamd_testkit import DEFAULT_ACCOUNT, ROOT_KEY_ID, ROOT_SECRET, Account, Backend, server_env


def test_migrate_makes_the_schema_then_a_node_serves_it(backend: Backend, tmp_path: Path) -> None:
    server = node(tmp_path, "migrated", backend.database_url("migrate"), server_env())
    first = server.iamd("migrate")
    assert first.stdout.strip() == f"iamd: schema empty -> {head_revision()}"
    again = server.iamd("migrate")
    assert again.stdout.strip() == f"iamd: schema {head_revision()} -> {head_revision()}"
    server.start()
    try:
        identity = Account(server, DEFAULT_ACCOUNT, ROOT_KEY_ID, ROOT_SECRET).sts()
        assert identity.get_caller_identity()["Account"] == DEFAULT_ACCOUNT
    finally:
        server.stop()
