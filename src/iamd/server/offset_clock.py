"""A test-only server clock: the system clock moved by an offset read from a file.

End-to-end tests of session expiry, token lifetimes and revocation move the *server's* clock
instead of sleeping. The app factory uses this clock only when BOTH are set:

- ``IAMD_TEST_CLOCK_FILE``: a path to a regular file, owned by the server's user and writable
  by no one else, holding the offset in seconds (a decimal number, may be negative);
- ``IAMD_TEST_CLOCK_ACK`` set to exactly :data:`ACKNOWLEDGEMENT`.

Anything else (one variable without the other, a wrong acknowledgement, a file another user
could write) makes the server refuse to start, so it cannot be switched on by a stray
variable. The server says on stderr that its clock is a test clock. The offset is re-read
when the file changes (its modification time), so a test moves time with one write.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import sys
import threading
from collections.abc import Mapping
from pathlib import Path

from iamd.clock import Clock, SystemClock

__all__ = [
    "ACKNOWLEDGEMENT",
    "ENV_ACK",
    "ENV_FILE",
    "ClockRefused",
    "FileOffsetClock",
    "clock_from_environment",
]

ENV_FILE = "IAMD_TEST_CLOCK_FILE"
ENV_ACK = "IAMD_TEST_CLOCK_ACK"
ACKNOWLEDGEMENT = "this-server-is-for-tests-only"


class ClockRefused(Exception):
    """The test clock was asked for but not in the one accepted way."""


class FileOffsetClock:
    """:class:`SystemClock` plus the offset (seconds) written in ``path``."""

    def __init__(self, path: Path, base: Clock | None = None) -> None:
        self._path = path
        self._base = base or SystemClock()
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._offset = dt.timedelta()

    def now(self) -> dt.datetime:
        return self._base.now() + self._current_offset()

    def _current_offset(self) -> dt.timedelta:
        info = self._path.stat()
        stamp = (info.st_mtime_ns, info.st_size)
        with self._lock:
            if stamp != self._stamp:
                text = self._path.read_text().strip() or "0"
                self._offset = dt.timedelta(seconds=float(text))
                self._stamp = stamp
            return self._offset


def _check_file(path: Path) -> None:
    try:
        info = path.stat()
    except OSError as err:
        raise ClockRefused(f"{ENV_FILE}: cannot read {path}: {err.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ClockRefused(f"{ENV_FILE}: {path} is not a regular file")
    if info.st_uid != os.getuid():
        raise ClockRefused(f"{ENV_FILE}: {path} is not owned by this user")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise ClockRefused(f"{ENV_FILE}: {path} is writable by other users")


def clock_from_environment(env: Mapping[str, str]) -> Clock | None:
    """The test clock when the environment asks for it in the one accepted way; None when it
    does not ask; :class:`ClockRefused` when it asks wrongly."""
    path = env.get(ENV_FILE)
    ack = env.get(ENV_ACK)
    if path is None and ack is None:
        return None
    if not path or ack != ACKNOWLEDGEMENT:
        raise ClockRefused(f"the test clock needs both {ENV_FILE} and {ENV_ACK}")
    clock_file = Path(path)
    _check_file(clock_file)
    print(
        f"iamd: WARNING: test clock in use (offset from {clock_file}); never use in production",
        file=sys.stderr,
        flush=True,
    )
    return FileOffsetClock(clock_file)
