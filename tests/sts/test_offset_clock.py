"""The test-only server clock: used only when asked for in the one accepted way."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from iamd.clock import FixedClock
from iamd.server.offset_clock import (
    ACKNOWLEDGEMENT,
    ENV_ACK,
    ENV_FILE,
    ClockRefused,
    FileOffsetClock,
    clock_from_environment,
)

T0 = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def _file(tmp_path: Path, text: str = "0", mode: int = 0o600) -> Path:
    path = tmp_path / "offset"
    path.write_text(text)
    os.chmod(path, mode)
    return path


def test_no_variables_no_test_clock() -> None:
    assert clock_from_environment({}) is None


def test_the_file_without_the_acknowledgement_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ClockRefused):
        clock_from_environment({ENV_FILE: str(_file(tmp_path))})


def test_the_acknowledgement_without_the_file_is_refused() -> None:
    with pytest.raises(ClockRefused):
        clock_from_environment({ENV_ACK: ACKNOWLEDGEMENT})


def test_a_wrong_acknowledgement_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ClockRefused):
        clock_from_environment({ENV_FILE: str(_file(tmp_path)), ENV_ACK: "yes"})


def test_a_file_others_may_write_is_refused(tmp_path: Path) -> None:
    path = _file(tmp_path, mode=0o622)
    with pytest.raises(ClockRefused, match="writable"):
        clock_from_environment({ENV_FILE: str(path), ENV_ACK: ACKNOWLEDGEMENT})


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ClockRefused):
        clock_from_environment({ENV_FILE: str(tmp_path / "nope"), ENV_ACK: ACKNOWLEDGEMENT})


def test_both_give_a_clock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clock = clock_from_environment({ENV_FILE: str(_file(tmp_path)), ENV_ACK: ACKNOWLEDGEMENT})
    assert isinstance(clock, FileOffsetClock)
    assert "never use in production" in capsys.readouterr().err


def test_the_offset_is_added_and_reread_when_the_file_changes(tmp_path: Path) -> None:
    path = _file(tmp_path, "90")
    clock = FileOffsetClock(path, FixedClock(T0))
    assert clock.now() == T0 + dt.timedelta(seconds=90)
    path.write_text("-3600.5")
    os.utime(path, ns=(1, 1))
    assert clock.now() == T0 - dt.timedelta(seconds=3600.5)
