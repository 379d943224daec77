"""Moving time for a server started with the test clock (``iamd.server.offset_clock``) — and for
this process's SigV4 signing, so that requests stay within the server's 15-minute window."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from iamd.server.offset_clock import ACKNOWLEDGEMENT, ENV_ACK, ENV_FILE

_stamps = itertools.count(1)


def clock_env(path: Path) -> dict[str, str]:
    """The environment that starts a server on the test clock kept in ``path``."""
    path.write_text("0")
    os.chmod(path, 0o600)
    return {ENV_FILE: str(path), ENV_ACK: ACKNOWLEDGEMENT}


@dataclass
class ServerClock:
    path: Path
    monkeypatch: pytest.MonkeyPatch
    offset: float = 0.0
    _base: int = field(default_factory=lambda: 1_000_000_000_000_000_000)

    def set(self, seconds: float) -> None:
        """Server time is real time plus ``seconds``; so is the time this process signs with."""
        self.offset = seconds
        self.path.write_text(repr(float(seconds)))
        stamp = self._base + next(_stamps)
        os.utime(self.path, ns=(stamp, stamp))
        import botocore.auth

        shift = dt.timedelta(seconds=seconds)

        def shifted(remove_tzinfo: bool = True) -> dt.datetime:
            now = dt.datetime.now(dt.UTC) + shift
            return now.replace(tzinfo=None) if remove_tzinfo else now

        self.monkeypatch.setattr(botocore.auth, "get_current_datetime", shifted)

    def advance(self, seconds: float) -> None:
        self.set(self.offset + seconds)

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.offset)


@contextmanager
def server_clock(path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerClock]:
    clock = ServerClock(path, monkeypatch)
    clock.set(0)
    try:
        yield clock
    finally:
        clock.path.write_text("0")
        stamp = clock._base + next(_stamps)
        os.utime(clock.path, ns=(stamp, stamp))
