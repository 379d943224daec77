"""``iamd audit`` finds records by principal, event name, error code and time range."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from typing import Any

from botocore.exceptions import ClientError

from audit.audit_helpers import record_of, request_id
from iamd_testkit import Account, Server


def _audit(server: Server, *args: str) -> list[dict[str, Any]]:
    command = [sys.executable, "-m", "iamd", "audit", "--data-dir", str(server.data_dir), *args]
    done = subprocess.run(
        command, env=server.env, capture_output=True, text=True, check=True, timeout=120
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def _ids(found: list[dict[str, Any]]) -> set[str]:
    return {r["requestID"] for r in found}


def test_by_principal(audited: Server, acct: Account) -> None:
    iam = acct.iam()
    iam.create_user(UserName="finder")
    key = iam.create_access_key(UserName="finder")["AccessKey"]
    finder = acct.iam(key["AccessKeyId"], key["SecretAccessKey"])
    try:
        finder.list_users()
    except ClientError as err:
        denied = request_id(err.response)
    record_of(audited, denied)
    arn = f"arn:aws:iam::{acct.id}:user/finder"
    by_arn = _audit(audited, "--principal", arn)
    assert _ids(by_arn) == {denied}
    assert _ids(_audit(audited, "--principal", key["AccessKeyId"])) == {denied}


def test_by_event_name(audited: Server, acct: Account) -> None:
    made = request_id(acct.iam().create_group(GroupName="finders"))
    record_of(audited, made)
    found = _audit(
        audited, "--event-name", "CreateGroup", "--principal", f"arn:aws:iam::{acct.id}:root"
    )
    assert _ids(found) == {made}
    assert all(
        r["eventName"] == "CreateGroup" for r in _audit(audited, "--event-name", "CreateGroup")
    )


def test_by_error_code(audited: Server, acct: Account) -> None:
    listed = request_id(acct.iam().list_groups())
    try:
        acct.iam().get_group(GroupName="nobody-here")
    except ClientError as err:
        missing = request_id(err.response)
    record_of(audited, missing)
    root = f"arn:aws:iam::{acct.id}:root"
    found = _audit(audited, "--error-code", "NoSuchEntity", "--principal", root)
    assert _ids(found) == {missing}
    successes = _audit(audited, "--error-code", "-", "--principal", root)
    assert _ids(successes) == {listed}


def test_by_time_range(audited: Server, acct: Account) -> None:
    answer = acct.iam().list_users()
    record = record_of(audited, request_id(answer))
    at = dt.datetime.fromisoformat(record["eventTime"].replace("Z", "+00:00"))
    root = f"arn:aws:iam::{acct.id}:root"
    window = ["--since", (at - dt.timedelta(seconds=1)).isoformat(), "--until", at.isoformat()]
    assert request_id(answer) in _ids(_audit(audited, "--principal", root, *window))
    later = (at + dt.timedelta(seconds=1)).isoformat()
    assert request_id(answer) not in _ids(_audit(audited, "--principal", root, "--since", later))
    earlier = (at - dt.timedelta(seconds=1)).isoformat()
    assert request_id(answer) not in _ids(_audit(audited, "--principal", root, "--until", earlier))
    assert request_id(answer) in _ids(_audit(audited, "--principal", root, "--since", "1h"))


def test_filters_combine(audited: Server, acct: Account) -> None:
    made = request_id(acct.iam().create_user(UserName="combined"))
    record_of(audited, made)
    root = f"arn:aws:iam::{acct.id}:root"
    assert _ids(_audit(audited, "--principal", root, "--event-name", "CreateUser")) == {made}
    assert (
        _audit(audited, "--principal", root, "--event-name", "CreateUser", "--error-code", "X")
        == []
    )


def test_a_bad_time_is_refused(audited: Server) -> None:
    command = [sys.executable, "-m", "iamd", "audit", "--data-dir", str(audited.data_dir)]
    done = subprocess.run(
        [*command, "--since", "yesterday-ish"],
        env=audited.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "bad time" in done.stderr
