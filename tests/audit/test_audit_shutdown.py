"""A graceful shutdown loses no acknowledged request's record: the server writes every line
handed over before it exits (SIGTERM right after the last answer)."""

from __future__ import annotations

import json
from pathlib import Path

from audit.audit_helpers import request_id
from iamd_testkit import DEFAULT_ACCOUNT, ROOT_KEY_ID, ROOT_SECRET, Account, running_server


def test_sigterm_right_after_answers_keeps_every_record(tmp_path: Path) -> None:
    # Lines wait a whole second for their write: only the shutdown's flush can save them.
    with running_server(tmp_path, extra_env={"IAMD_AUDIT_BATCH_SECONDS": "1"}) as server:
        iam = Account(server, DEFAULT_ACCOUNT, ROOT_KEY_ID, ROOT_SECRET).iam()
        answered = [request_id(iam.list_users()) for _ in range(30)]
        answered.append(request_id(iam.create_user(UserName="last-one")))
        server.stop()  # SIGTERM, then wait for the process to exit
        lines = (server.data_dir / "audit.log").read_text().splitlines()
    recorded = {json.loads(line)["requestID"] for line in lines}
    assert set(answered) <= recorded


def test_the_log_can_go_to_standard_output(tmp_path: Path) -> None:
    env = {"IAMD_AUDIT_LOG": "-", "IAMD_AUDIT_BATCH_SECONDS": "1"}
    with running_server(tmp_path, extra_env=env) as server:
        iam = Account(server, DEFAULT_ACCOUNT, ROOT_KEY_ID, ROOT_SECRET).iam()
        rid = request_id(iam.list_users())
        server.stop()
        output = server.log()
    assert not (server.data_dir / "audit.log").exists()
    records = [
        json.loads(line) for line in output.splitlines() if line.startswith('{"eventVersion"')
    ]
    assert rid in {r["requestID"] for r in records}
