"""Revision 0004 fills in ``roles.trust_principal_ids`` for the roles stored before it: the id of
each user and role whose ARN (path and name exactly) the trust policy names."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa

from iamd.storage.sql import make_engine, sqlite_url
from iamd.storage.sql.migrate import upgrade

ACCOUNT = "111122223333"
OTHER = "444455556666"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _trust(*principals: object) -> str:
    statements = [
        {"Effect": "Allow", "Principal": p, "Action": "sts:AssumeRole"} for p in principals
    ]
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def _insert(conn: sa.Connection, table: str, **values: object) -> None:
    names = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    conn.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), values)


def _user(conn: sa.Connection, account: str, user_id: str, name: str, path: str = "/") -> None:
    _insert(
        conn,
        "users",
        id=user_id,
        account_id=account,
        name=name,
        name_lower=name.lower(),
        path=path,
        created_at=NOW,
    )


def _role(conn: sa.Connection, account: str, role_id: str, name: str, trust: str) -> None:
    _insert(
        conn,
        "roles",
        id=role_id,
        account_id=account,
        name=name,
        name_lower=name.lower(),
        path="/",
        created_at=NOW,
        assume_role_policy=trust,
        max_session_duration=3600,
    )


def _migrated(tmp_path: Path, trust: str) -> object:
    engine = make_engine(sqlite_url(tmp_path))
    upgrade(engine, "0003")
    with engine.begin() as conn:
        for account in (ACCOUNT, OTHER):
            _insert(conn, "accounts", id=account, name=account, created_at=NOW, version=0)
        _user(conn, ACCOUNT, "AIDABOB", "Bob", "/team/")
        _user(conn, OTHER, "AIDACAROL", "Carol")
        _role(conn, ACCOUNT, "AROAOPS", "Ops", _trust({"Service": "ec2.amazonaws.com"}))
        _role(conn, ACCOUNT, "AROATARGET", "Target", trust)
    upgrade(engine, "0004")
    with engine.connect() as conn:
        query = sa.text("SELECT id, trust_principal_ids FROM roles")
        rows: dict[str, str | None] = {row[0]: row[1] for row in conn.execute(query)}
    engine.dispose()
    assert rows["AROAOPS"] is None
    value = rows["AROATARGET"]
    return json.loads(value) if value is not None else None


def test_users_and_roles_of_any_account_are_recorded(tmp_path: Path) -> None:
    bob = f"arn:aws:iam::{ACCOUNT}:user/team/Bob"
    carol = f"arn:aws:iam::{OTHER}:user/Carol"
    ops = f"arn:aws:iam::{ACCOUNT}:role/Ops"
    trust = _trust({"AWS": [bob, carol]}, {"AWS": ops})
    assert _migrated(tmp_path, trust) == {bob: "AIDABOB", carol: "AIDACAROL", ops: "AROAOPS"}


def test_not_principal_is_recorded_too(tmp_path: Path) -> None:
    bob = f"arn:aws:iam::{ACCOUNT}:user/team/Bob"
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": bob}, "Action": "sts:*"},
        }
    )
    assert _migrated(tmp_path, trust) == {bob: "AIDABOB"}


def test_arns_that_name_no_entity_now_are_not_recorded(tmp_path: Path) -> None:
    trust = _trust(
        {
            "AWS": [
                f"arn:aws:iam::{ACCOUNT}:user/Bob",  # wrong path
                f"arn:aws:iam::{ACCOUNT}:user/team/bob",  # wrong case
                f"arn:aws:iam::{ACCOUNT}:user/team/Gone",
                f"arn:aws:iam::{ACCOUNT}:root",
                ACCOUNT,
                f"arn:aws:sts::{ACCOUNT}:assumed-role/Ops/s",
                "*",
            ]
        },
        "*",
    )
    assert _migrated(tmp_path, trust) is None
