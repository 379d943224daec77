"""The audit log's writer: JSON lines appended to ``<data-dir>/audit.log`` (or standard output)
by one thread, so that no request waits on the disk.

A request hands over its finished line (and what it says about last use) before its answer is
sent; the writer thread gathers whatever has arrived within a few milliseconds and appends it
with a single ``write`` on a descriptor opened ``O_APPEND`` (several worker processes may share
the file: each write lands whole at the end). ``close`` writes everything handed over before it
returns, so a graceful shutdown loses no acknowledged request's record.

Log rotation (``docs/audit.md``): before each write the writer compares the path's inode with the
open file's and reopens when they differ or the path is gone, so logrotate's default
rename-and-create needs no signal; ``reopen()`` (the server calls it on SIGHUP) forces it.

Last-used data (``iamd.server.usage``) is folded in on the same thread and stored through the
store every ``usage_interval`` seconds and at close.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from iamd.server.audit import audit_line
from iamd.server.audit_encoder import RecordEncoder
from iamd.server.pipeline import Outcome
from iamd.server.usage import RequestUse, UsageAggregator, UsageNotes
from iamd.storage.usage import UsageSink

__all__ = ["AUDIT_LOG_FILE", "AuditLog"]

AUDIT_LOG_FILE = "audit.log"
STDOUT = "-"

log = logging.getLogger("iamd.audit")

_Item = bytes | tuple[bytes, RequestUse] | threading.Event | None


class _File:
    """An append-only file that follows renames (logrotate) by its path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = -1
        self._ino: tuple[int, int] | None = None
        self.open()

    def open(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        st = os.fstat(fd)
        self._fd, self._ino = fd, (st.st_dev, st.st_ino)

    def rotated(self) -> bool:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return True
        return (st.st_dev, st.st_ino) != self._ino

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


class _Stdout:
    path = None

    def open(self) -> None:
        return None

    def rotated(self) -> bool:
        return False

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(1, view)
            view = view[written:]

    def close(self) -> None:
        return None


class AuditLog:
    """Appends one JSON line per request (see the module docstring).

    ``destination``: a file path, or ``"-"`` for standard output. ``usage``: where last-used
    data goes (None: nowhere). ``batch_delay``: how long the writer lets lines gather after the
    first arrives.
    """

    def __init__(
        self,
        destination: Path | str,
        *,
        usage: UsageSink | None = None,
        usage_interval: float = 5.0,
        batch_delay: float = 0.01,
    ) -> None:
        self._target: _File | _Stdout = (
            _Stdout() if str(destination) == STDOUT else _File(Path(destination))
        )
        self._usage_sink = usage
        self._usage = UsageAggregator()
        self._notes = UsageNotes()
        self._encoder = RecordEncoder()
        self._usage_interval = usage_interval
        self._batch_delay = batch_delay
        self._queue: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._reopen = threading.Event()
        self._closed = False
        self.records = 0
        self.write_errors = 0
        self.usage_errors = 0
        self._thread = threading.Thread(target=self._run, name="iamd-audit", daemon=True)
        self._thread.start()

    @property
    def path(self) -> Path | None:
        return self._target.path

    @property
    def pending(self) -> int:
        """Lines handed over and not yet written (approximate)."""
        return self._queue.qsize()

    # -- the request path ---------------------------------------------------------------------

    def record(self, outcome: Outcome) -> None:
        """Hand over the record of one finished request (cheap: one JSON line, one note)."""
        line = self._encoder.line(outcome)
        caller = outcome.caller
        if caller is not None and outcome.event_time is not None and self._usage_sink:
            self._notes.note(
                caller,
                outcome.event_time,
                outcome.region or "us-east-1",
                outcome.service or "iam",
                outcome.operation if outcome.read_only is not None else None,
            )
        self._queue.put(line)

    def submit(self, record: Mapping[str, object], use: RequestUse | None = None) -> None:
        """Hand over a record made elsewhere (a console sign-in, ...)."""
        line = audit_line(record)
        self._queue.put(line if use is None else (line, use))

    def reopen(self) -> None:
        """Reopen the file before the next write (after rotation; the server's SIGHUP)."""
        self._reopen.set()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything handed over so far is written; False on timeout."""
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self, timeout: float = 30.0) -> None:
        """Write everything handed over, store the last-used data, stop the writer."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join(timeout)

    # -- the writer thread --------------------------------------------------------------------

    def _run(self) -> None:
        next_usage = time.monotonic() + self._usage_interval
        running = True
        while running:
            wait = max(0.0, next_usage - time.monotonic())
            try:
                first = self._queue.get(timeout=wait if self._usage_sink else None)
            except queue.Empty:
                first = None
                items: list[_Item] = []
            else:
                if first is not None and not isinstance(first, threading.Event):
                    time.sleep(self._batch_delay)  # let a burst gather into one write
                items = [first]
                with contextlib.suppress(queue.Empty):
                    while True:
                        items.append(self._queue.get_nowait())
                running = None not in items
            self._write(items)
            if time.monotonic() >= next_usage or not running:
                self._store_usage()
                next_usage = time.monotonic() + self._usage_interval
            for item in items:
                if isinstance(item, threading.Event):
                    item.set()
        self._target.close()

    def _write(self, items: list[_Item]) -> None:
        lines = []
        for item in items:
            if isinstance(item, bytes):
                lines.append(item)
            elif isinstance(item, tuple):
                lines.append(item[0])
                self._usage.add(item[1])
        if not lines:
            return
        try:
            if self._reopen.is_set() or self._target.rotated():
                self._reopen.clear()
                self._target.open()
            self._target.write(b"".join(lines))
            self.records += len(lines)
        except OSError as err:
            self.write_errors += 1
            log.error("audit log write failed: %s", err.strerror or type(err).__name__)

    def _store_usage(self) -> None:
        if self._usage_sink is None:
            return
        self._notes.drain_into(self._usage)
        if not len(self._usage):
            return
        batch = self._usage.take()
        try:
            self._usage_sink(batch)
        except Exception as err:
            # Kept for the next attempt (a lost database, a race between nodes).
            self.usage_errors += 1
            self._usage.restore(batch)
            log.warning("storing last-used data failed: %s", type(err).__name__)
