"""The audit writer in-process: nothing handed over is lost at close, rotation by rename is
followed, SIGHUP's reopen works, standard output works, last-used data reaches its sink."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest

from iamd.domain import Principal, PrincipalType
from iamd.server.audit_log import AuditLog
from iamd.server.pipeline import Outcome
from iamd.storage.usage import UsageBatch

AT = dt.datetime(2025, 6, 1, 12, 0, 0, tzinfo=dt.UTC)
USER = Principal(
    type=PrincipalType.USER,
    account_id="111122223333",
    arn="arn:aws:iam::111122223333:user/ann",
    user_id="AIDAANN",
    access_key_id="AKIAANN",
    name="ann",
    entity_id="AIDAANN",
)


def _outcome(n: int, caller: Principal | None = USER, at: dt.datetime = AT) -> Outcome:
    return Outcome(
        request_id=f"req-{n}",
        event_time=at,
        service="iam",
        operation="GetUser",
        read_only=True,
        caller=caller,
        account_id=caller.account_id if caller else None,
        access_key_id=caller.access_key_id if caller else None,
        decision="Allowed",
    )


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["requestID"] for line in path.read_text().splitlines()]


def test_close_writes_everything_handed_over(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.log")
    for n in range(2000):
        log.record(_outcome(n))
    log.close()
    assert _ids(tmp_path / "audit.log") == [f"req-{n}" for n in range(2000)]


def test_the_file_is_private(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.log")
    log.record(_outcome(1))
    log.close()
    assert stat.S_IMODE(os.stat(tmp_path / "audit.log").st_mode) == 0o600


def test_appends_to_an_existing_log(tmp_path: Path) -> None:
    (tmp_path / "audit.log").write_text('{"requestID": "old"}\n')
    log = AuditLog(tmp_path / "audit.log")
    log.record(_outcome(1))
    log.close()
    assert _ids(tmp_path / "audit.log") == ["old", "req-1"]


def test_a_renamed_log_is_followed_without_a_signal(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    log = AuditLog(path)
    log.record(_outcome(1))
    assert log.flush()
    path.rename(tmp_path / "audit.log.1")
    log.record(_outcome(2))
    log.close()
    assert _ids(tmp_path / "audit.log.1") == ["req-1"]
    assert _ids(path) == ["req-2"]


def test_reopen_after_copy_and_truncate_style_rotation(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    log = AuditLog(path)
    log.record(_outcome(1))
    assert log.flush()
    os.link(path, tmp_path / "kept")
    path.unlink()
    path.write_text("")  # a new file made by the rotator
    log.reopen()
    log.record(_outcome(2))
    log.close()
    assert _ids(tmp_path / "kept") == ["req-1"]
    assert _ids(path) == ["req-2"]


def test_standard_output(capfd: pytest.CaptureFixture[str]) -> None:
    log = AuditLog("-")
    log.record(_outcome(7))
    log.close()
    out = capfd.readouterr().out
    assert json.loads(out)["requestID"] == "req-7"


def test_usage_reaches_the_sink_latest_first(tmp_path: Path) -> None:
    batches: list[UsageBatch] = []
    log = AuditLog(tmp_path / "audit.log", usage=batches.append, usage_interval=3600)
    log.record(_outcome(1, at=AT))
    log.record(_outcome(2, at=AT + dt.timedelta(minutes=5)))
    log.record(_outcome(3, caller=None))  # unauthenticated: no use
    log.close()
    (batch,) = batches
    assert batch.access_keys["AKIAANN"].at == AT + dt.timedelta(minutes=5)
    assert batch.access_keys["AKIAANN"].service == "iam"
    ((use, when),) = batch.services.items()
    assert (use.entity_kind, use.entity, use.action) == ("user", USER.arn, "GetUser")
    assert when.at == AT + dt.timedelta(minutes=5)


def test_a_failed_usage_batch_is_kept_for_the_next_flush(tmp_path: Path) -> None:
    calls: list[UsageBatch] = []

    def flaky(batch: UsageBatch) -> None:
        calls.append(batch)
        if len(calls) == 1:
            raise OSError("database away")

    log = AuditLog(tmp_path / "audit.log", usage=flaky, usage_interval=0.05)
    log.record(_outcome(1))
    assert log.flush()
    deadline = dt.datetime.now() + dt.timedelta(seconds=5)
    while len(calls) < 2 and dt.datetime.now() < deadline:
        log.flush(0.1)
    log.close()
    assert len(calls) >= 2
    assert log.usage_errors == 1
    assert "AKIAANN" in calls[1].access_keys
