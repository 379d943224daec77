"""``kill -9`` of a node during a write load loses no acknowledged write and leaves nothing
half-written, on SQLite and on PostgreSQL.

Writers make users with three tags each (one transaction, four rows), put half of them in a
group (a quota check and a row), delete the other half (the user row, its tags), and make new
default versions of their own policy (a version row and the policy's default pointer, and a
delete of the oldest version when five exist). The node is killed while they write; after a
restart every acknowledged write is there, and whatever was in flight is all there or absent.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError
from sqlalchemy import and_, create_engine, func, select

from iamd.storage.sql import schema as t
from iamd.storage.sql import sqlite_url
from iamd_testkit import (
    DEFAULT_ACCOUNT,
    ROOT_KEY_ID,
    ROOT_SECRET,
    Account,
    Backend,
    Server,
    free_port,
    server_env,
)

WRITERS = 4
ACKNOWLEDGED_BEFORE_KILL = 120
TAGS = ("a", "b", "c")


@dataclass
class Ledger:
    """What one writer asked for and what it was told."""

    writer: int
    users: set[str] = field(default_factory=set)
    attempted_users: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    attempted_deletes: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)
    defaults: list[str] = field(default_factory=list)  # acknowledged default-version markers
    attempted_markers: set[str] = field(default_factory=set)
    acknowledged: int = 0


def _document(marker: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": marker, "Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}
            ],
        }
    )


def _marker(document: Any) -> str:
    """The Sid of a policy version's document (boto3 hands documents back as dicts)."""
    parsed = document if isinstance(document, dict) else json.loads(unquote(document))
    return str(parsed["Statement"][0]["Sid"])


class _Killed(Exception):
    """The node is gone: the writer stops."""


def _ack(ledger: Ledger, fn: Any, **kwargs: Any) -> Any:
    try:
        result = fn(**kwargs)
    except (BotoCoreError, ResponseParserError):
        # Connection refused or reset, or the answer cut off after its head (the node died
        # between sending the status line and the body): the outcome is unknown.
        raise _Killed() from None
    ledger.acknowledged += 1
    return result


def _write(root: Account, ledger: Ledger, policy_arn: str, stop: threading.Event) -> None:
    iam = root.iam()
    i = 0
    try:
        while not stop.is_set():
            name = f"w{ledger.writer}n{i}"
            ledger.attempted_users.add(name)
            _ack(
                ledger,
                iam.create_user,
                UserName=name,
                Tags=[{"Key": k, "Value": name} for k in TAGS],
            )
            ledger.users.add(name)
            if i % 2 == 0:
                _ack(ledger, iam.add_user_to_group, GroupName="all", UserName=name)
                ledger.members.add(name)
            else:
                ledger.attempted_deletes.add(name)
                _ack(ledger, iam.delete_user, UserName=name)
                ledger.deleted.add(name)
            marker = f"m{ledger.writer}x{i}"
            ledger.attempted_markers.add(marker)
            try:
                _ack(
                    ledger,
                    iam.create_policy_version,
                    PolicyArn=policy_arn,
                    PolicyDocument=_document(marker),
                    SetAsDefault=True,
                )
            except ClientError as err:
                if err.response["Error"]["Code"] != "LimitExceeded":
                    raise
                versions = iam.list_policy_versions(PolicyArn=policy_arn)["Versions"]
                oldest = min(
                    (v for v in versions if not v["IsDefaultVersion"]),
                    key=lambda v: int(v["VersionId"][1:]),
                )
                _ack(
                    ledger,
                    iam.delete_policy_version,
                    PolicyArn=policy_arn,
                    VersionId=oldest["VersionId"],
                )
            else:
                ledger.defaults.append(marker)
            i += 1
    except (_Killed, BotoCoreError):  # the node is gone (a read between writes saw it go)
        return


def _start(server: Server) -> Account:
    server.start()
    return Account(server, DEFAULT_ACCOUNT, ROOT_KEY_ID, ROOT_SECRET)


def _run_until_killed(server: Server, root: Account) -> list[Ledger]:
    iam = root.iam()
    iam.create_group(GroupName="all")
    arns = [
        iam.create_policy(PolicyName=f"p{w}", PolicyDocument=_document(f"m{w}start"))["Policy"][
            "Arn"
        ]
        for w in range(WRITERS)
    ]
    ledgers = [Ledger(w) for w in range(WRITERS)]
    for ledger in ledgers:
        ledger.defaults.append(f"m{ledger.writer}start")
    stop = threading.Event()
    threads = [
        threading.Thread(target=_write, args=(root, ledgers[w], arns[w], stop))
        for w in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while sum(lg.acknowledged for lg in ledgers) < ACKNOWLEDGED_BEFORE_KILL:
        assert time.monotonic() < deadline, "the write load did not get going"
        time.sleep(0.01)
    server.kill()  # SIGKILL while the writers are mid-request
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return ledgers


def _check_after_restart(root: Account, ledgers: list[Ledger]) -> None:
    iam = root.iam()
    users = {
        u["UserName"] for page in iam.get_paginator("list_users").paginate() for u in page["Users"]
    }
    members = {
        u["UserName"]
        for page in iam.get_paginator("get_group").paginate(GroupName="all")
        for u in page["Users"]
    }
    attempted = set().union(*(lg.attempted_users for lg in ledgers))
    assert users <= attempted
    for ledger in ledgers:
        # A deletion in flight at the kill may have committed without being acknowledged.
        assert ledger.users - ledger.attempted_deletes <= users, "an acknowledged user was lost"
        assert not ledger.deleted & users, "an acknowledged deletion was lost"
        assert ledger.members <= members, "an acknowledged group membership was lost"
    for name in users:
        tags = iam.list_user_tags(UserName=name)["Tags"]
        assert sorted(tag["Key"] for tag in tags) == list(TAGS), f"{name} is half-written"
    for ledger in ledgers:
        arn = f"arn:aws:iam::{DEFAULT_ACCOUNT}:policy/p{ledger.writer}"
        versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
        assert sum(v["IsDefaultVersion"] for v in versions) == 1
        default = next(v for v in versions if v["IsDefaultVersion"])
        document = iam.get_policy_version(PolicyArn=arn, VersionId=default["VersionId"])
        marker = _marker(document["PolicyVersion"]["Document"])
        # The newest acknowledged default, or one made by a request in flight at the kill.
        newest = ledger.defaults[-1]
        allowed = {newest} | (ledger.attempted_markers - set(ledger.defaults))
        assert marker in allowed, f"policy p{ledger.writer} lost its acknowledged default"


def _no_orphans(server: Server) -> None:
    """Straight from the database: nothing that a half-done transaction would leave."""
    engine = create_engine(server.database_url or sqlite_url(server.data_dir))
    try:
        with engine.connect() as conn:
            orphan_tags = conn.execute(
                select(func.count())
                .select_from(t.tags)
                .outerjoin(t.users, t.users.c.id == t.tags.c.resource_id)
                .where(and_(t.tags.c.resource_kind == "user", t.users.c.id.is_(None)))
            ).scalar_one()
            p, v = t.managed_policies, t.policy_versions
            dangling_defaults = conn.execute(
                select(func.count())
                .select_from(p)
                .outerjoin(
                    v, and_(v.c.policy_arn == p.c.arn, v.c.version_id == p.c.default_version_id)
                )
                .where(v.c.version_id.is_(None))
            ).scalar_one()
    finally:
        engine.dispose()
    assert (orphan_tags, dangling_defaults) == (0, 0)


def test_sigkill_mid_load_loses_no_acknowledged_write(backend: Backend, tmp_path: Path) -> None:
    server = Server(tmp_path / "data", free_port(), server_env(), backend.database_url("kill"))
    root = _start(server)
    ledgers = _run_until_killed(server, root)
    acknowledged = sum(lg.acknowledged for lg in ledgers)
    assert acknowledged >= ACKNOWLEDGED_BEFORE_KILL
    server.port = free_port()
    root = _start(server)
    try:
        _check_after_restart(root, ledgers)
    finally:
        server.stop()
    _no_orphans(server)
    print(f"\n[{backend.name}] kill -9 after {acknowledged} acknowledged writes: all present")
