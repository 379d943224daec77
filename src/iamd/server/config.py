"""How a server is set up: the contract in DESIGN.md, "Contract that tools and users rely on"."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_PORT", "ServerConfig"]

DEFAULT_PORT = 9400


@dataclass(frozen=True, slots=True)
class ServerConfig:
    data_dir: Path = Path("iamd-data")
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    #: Request bodies above this are refused before parsing. The largest IAM inputs are SAML
    #: metadata documents (10,000,000 characters in the model) and certificate chains.
    max_body_bytes: int = 12 * 1024 * 1024
    #: Form fields above this are refused before parsing (Starlette's own parser has no limit).
    max_form_fields: int = 10_000
    pool_size: int = 16
    #: Where the audit log goes: None for ``<data-dir>/audit.log``, ``"-"`` for standard output,
    #: or a file path (``--audit-log``, ``IAMD_AUDIT_LOG``; docs/audit.md).
    audit_log: str | None = None
    #: Seconds between the audit writer's batches of last-used data to the store.
    usage_flush_seconds: float = 5.0
    #: Seconds the audit writer lets lines gather before one write (IAMD_AUDIT_BATCH_SECONDS).
    audit_batch_seconds: float = 0.01
    #: Answer read-only requests on the event loop's thread instead of a worker thread
    #: (docs/benchmarks.md: thread hand-offs cost more than a read on SQLite takes); None: on
    #: SQLite only.
    inline_reads: bool | None = None
    #: Commit write requests in batches on one thread (iamd.server.writer); None: on SQLite only.
    group_commit: bool | None = None
