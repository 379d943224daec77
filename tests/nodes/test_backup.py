"""``iamd backup`` and ``iamd restore``: a consistent snapshot of every account, secrets still
encrypted, restorable into SQLite or PostgreSQL — so a data set moves from one to the other."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from iamd_nodes import new_master_key, node, store_every_kind_of_secret
from sqlalchemy import create_engine, func, select

from iamd.storage.sql import schema as t
from iamd.storage.sql import sqlite_url
from iamd.storage.sql.schema import metadata
from iamd_testkit import (
    DEFAULT_ACCOUNT,
    ROOT_KEY_ID,
    ROOT_SECRET,
    Account,
    Backend,
    PostgresDatabases,
    Server,
    new_account_by_cli,
    server_env,
)

READ_IAM = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["iam:List*", "iam:Get*"], "Resource": "*"}],
    }
)


def _root(server: Server) -> Account:
    return Account(server, DEFAULT_ACCOUNT, ROOT_KEY_ID, ROOT_SECRET)


def _populate(server: Server) -> dict[str, Any]:
    """Users, a group, policies with versions, tags, secrets of every kind, a second account."""
    iam = _root(server).iam()
    user_key = store_every_kind_of_secret(_root(server), "alice")
    iam.tag_user(UserName="alice", Tags=[{"Key": "team", "Value": "blue"}])
    iam.put_user_policy(UserName="alice", PolicyName="read", PolicyDocument=READ_IAM)
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="alice")
    arn = iam.create_policy(PolicyName="p", PolicyDocument=READ_IAM)["Policy"]["Arn"]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=READ_IAM, SetAsDefault=True)
    iam.attach_group_policy(GroupName="devs", PolicyArn=arn)
    iam.attach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    other = new_account_by_cli(server)
    other.iam().create_user(UserName="bob")
    return {"user_key": user_key, "other": other, "policy": arn}


def _view(server: Server, other: Account) -> Any:
    """What the API answers about the populated data."""
    iam = _root(server).iam()
    return (
        iam.get_user(UserName="alice")["User"],
        iam.list_groups_for_user(UserName="alice")["Groups"],
        iam.list_attached_user_policies(UserName="alice")["AttachedPolicies"],
        iam.list_policies(Scope="Local")["Policies"],
        iam.list_access_keys(UserName="alice")["AccessKeyMetadata"],
        iam.list_virtual_mfa_devices()["VirtualMFADevices"],
        iam.list_server_certificates()["ServerCertificateMetadataList"],
        iam.list_service_specific_credentials(UserName="alice")["ServiceSpecificCredentials"],
        [p["Arn"] for p in iam.list_saml_providers()["SAMLProviderList"]],
        Account(server, other.id, other.root_key_id, other.root_secret).iam().list_users()["Users"],
    )


@pytest.mark.postgres
def test_a_sqlite_backup_restores_into_postgresql_with_the_same_keys(
    postgres: PostgresDatabases, tmp_path: Path
) -> None:
    env = server_env({"IAMD_MASTER_KEY": new_master_key()})
    source = node(tmp_path, "sqlite", None, env)
    target = node(tmp_path, "postgresql", postgres.create("restored"), env)
    source.start()
    try:
        made = _populate(source)
        backup = tmp_path / "iamd-backup.jsonl.gz"
        source.iamd("backup", str(backup))  # while the source serves
        restored = target.iamd("restore", str(backup))
        assert "restored 2 account(s)" in restored.stderr
        target.start()
        try:
            assert _root(target).sts().get_caller_identity()["Account"] == DEFAULT_ACCOUNT
            alice = Account(target, DEFAULT_ACCOUNT, *made["user_key"])
            assert alice.sts().get_caller_identity()["Arn"].endswith(":user/alice")
            assert [u["UserName"] for u in alice.iam().list_users()["Users"]] == ["alice"]
            other = made["other"]
            assert Account(target, other.id, other.root_key_id, other.root_secret).sts()
            assert _view(target, other) == _view(source, other)
        finally:
            target.stop()
    finally:
        source.stop()


@pytest.mark.postgres
def test_a_postgresql_backup_restores_into_sqlite(
    postgres: PostgresDatabases, tmp_path: Path
) -> None:
    env = server_env({"IAMD_MASTER_KEY": new_master_key()})
    source = node(tmp_path, "source", postgres.create("backup_source"), env)
    target = node(tmp_path, "target", None, env)
    source.start()
    try:
        made = _populate(source)
        backup = tmp_path / "backup.jsonl"
        source.iamd("backup", str(backup))
        expected = _view(source, made["other"])
    finally:
        source.stop()
    target.iamd("restore", str(backup))
    target.start()
    try:
        alice = Account(target, DEFAULT_ACCOUNT, *made["user_key"])
        assert alice.sts().get_caller_identity()["Arn"].endswith(":user/alice")
        assert _view(target, made["other"]) == expected
    finally:
        target.stop()


def test_the_backup_names_every_table_of_the_schema(tmp_path: Path) -> None:
    source = node(tmp_path, "tables", None, server_env())
    source.start()
    try:
        source.iamd("backup", str(tmp_path / "b.jsonl"))
    finally:
        source.stop()
    header = json.loads((tmp_path / "b.jsonl").read_text().splitlines()[0])
    assert header["format"] == "iamd-backup"
    assert set(header["tables"]) == set(metadata.tables)
    assert len(header["master_key_check"]) == 32


def test_restore_refuses_a_database_with_accounts_unless_told(tmp_path: Path) -> None:
    env = server_env({"IAMD_MASTER_KEY": new_master_key()})
    source = node(tmp_path, "source", None, env)
    source.start()
    try:
        _root(source).iam().create_user(UserName="from-backup")
        source.iamd("backup", str(tmp_path / "b.jsonl"))
        target = node(tmp_path, "target", None, env)
        target.start()
        try:
            _root(target).iam().create_user(UserName="already-there")
            refused = target.iamd("restore", str(tmp_path / "b.jsonl"), check=False)
            assert refused.returncode == 1
            assert "already holds 1 account(s)" in refused.stderr
            assert "--replace" in refused.stderr
            names = [u["UserName"] for u in _root(target).iam().list_users()["Users"]]
            assert names == ["already-there"]
            target.iamd("restore", "--replace", str(tmp_path / "b.jsonl"))
            # The running node's caches are not trusted: every account version went up.
            names = [u["UserName"] for u in _root(target).iam().list_users()["Users"]]
            assert names == ["from-backup"]
        finally:
            target.stop()
    finally:
        source.stop()


def test_restore_refuses_a_backup_made_under_another_master_key(tmp_path: Path) -> None:
    source = node(tmp_path, "source", None, server_env({"IAMD_MASTER_KEY": new_master_key()}))
    source.start()
    try:
        source.iamd("backup", str(tmp_path / "b.jsonl"))
    finally:
        source.stop()
    target = node(tmp_path, "target", None, server_env({"IAMD_MASTER_KEY": new_master_key()}))
    refused = target.iamd("restore", str(tmp_path / "b.jsonl"), check=False)
    assert refused.returncode == 1
    assert "master key this node does not hold" in refused.stderr
    without_key = node(tmp_path, "nokey", None, server_env())
    refused = without_key.iamd("restore", str(tmp_path / "b.jsonl"), check=False)
    assert refused.returncode == 1
    assert "no master key" in refused.stderr


def test_a_damaged_backup_is_refused_and_restores_nothing(tmp_path: Path) -> None:
    env = server_env({"IAMD_MASTER_KEY": new_master_key()})
    source = node(tmp_path, "source", None, env)
    source.start()
    try:
        _root(source).iam().create_user(UserName="u")
        source.iamd("backup", str(tmp_path / "b.jsonl"))
    finally:
        source.stop()
    lines = (tmp_path / "b.jsonl").read_text().splitlines(keepends=True)
    (tmp_path / "truncated.jsonl").write_text("".join(lines[: len(lines) // 2]))
    target = node(tmp_path, "target", None, env)
    refused = target.iamd("restore", str(tmp_path / "truncated.jsonl"), check=False)
    assert refused.returncode == 1
    assert "truncated" in refused.stderr
    target.iamd("restore", str(tmp_path / "b.jsonl"))  # nothing of the damaged one was kept


def test_a_backup_taken_under_write_load_is_consistent(backend: Backend, tmp_path: Path) -> None:
    """Users made with three tags each, in one transaction, while the backup runs: the
    restored copy has each user with all three tags, or not at all."""
    env = server_env({"IAMD_MASTER_KEY": new_master_key()})
    source = node(tmp_path, "source", backend.database_url("backup_load"), env)
    source.start()
    stop = threading.Event()

    def write(writer: int) -> None:
        iam = _root(source).iam()
        i = 0
        while not stop.is_set():
            name = f"w{writer}u{i}"
            tags = [{"Key": k, "Value": name} for k in ("a", "b", "c")]
            iam.create_user(UserName=name, Tags=tags)
            i += 1

    threads = [threading.Thread(target=write, args=(w,)) for w in range(3)]
    try:
        for thread in threads:
            thread.start()
        source.iamd("backup", str(tmp_path / "b.jsonl"))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        source.stop()
    target = node(tmp_path, "target", None, env)
    target.iamd("restore", str(tmp_path / "b.jsonl"))
    engine = create_engine(sqlite_url(target.data_dir))
    try:
        with engine.connect() as conn:
            users = conn.execute(select(t.users.c.id)).scalars().all()
            tags = conn.execute(
                select(t.tags.c.resource_id, func.count())
                .where(t.tags.c.resource_kind == "user")
                .group_by(t.tags.c.resource_id)
            ).all()
    finally:
        engine.dispose()
    assert len(users) > 1
    assert dict(tags) == dict.fromkeys(users, 3)  # every user with all of its tags
