"""The store's side of last-used data: a batch sets PasswordLastUsed, GetAccessKeyLastUsed and
RoleLastUsed, and never moves a time backwards (several nodes flush in any order)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from iamd.server import Opened, ServerConfig, open_data
from iamd.storage.sql.usage import SqlUsage
from iamd.storage.usage import KeyUse, UsageBatch, Use
from iamd_testkit import Account, Server

T0 = dt.datetime(2025, 1, 1, 8, 0, 0, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(hours=3)


@pytest.fixture(scope="module")
def store(audited: Server) -> Iterator[SqlUsage]:
    config = ServerConfig(data_dir=audited.data_dir, database_url=audited.database_url)
    opened: Opened = open_data(config, audited.env, create=False)
    yield SqlUsage(opened.store.engine)
    opened.store.close()


def test_password_last_used(acct: Account, store: SqlUsage) -> None:
    iam = acct.iam()
    user_id = iam.create_user(UserName="signer")["User"]["UserId"]
    store(UsageBatch(passwords={user_id: T1}))
    assert iam.get_user(UserName="signer")["User"]["PasswordLastUsed"] == T1
    store(UsageBatch(passwords={user_id: T0}))
    assert iam.get_user(UserName="signer")["User"]["PasswordLastUsed"] == T1


def test_access_key_use_never_goes_back(acct: Account, store: SqlUsage) -> None:
    iam = acct.iam()
    iam.create_user(UserName="keeper")
    key_id = iam.create_access_key(UserName="keeper")["AccessKey"]["AccessKeyId"]
    store(UsageBatch(access_keys={key_id: KeyUse(T1, "iam", "eu-west-1")}))
    store(UsageBatch(access_keys={key_id: KeyUse(T0, "sts", "us-east-1")}))
    used = iam.get_access_key_last_used(AccessKeyId=key_id)["AccessKeyLastUsed"]
    assert (used["LastUsedDate"], used["ServiceName"], used["Region"]) == (T1, "iam", "eu-west-1")


def test_role_use(acct: Account, store: SqlUsage) -> None:
    iam = acct.iam()
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role_id = iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(trust))["Role"][
        "RoleId"
    ]
    store(UsageBatch(roles={role_id: Use(T1, "eu-central-1")}))
    assert iam.get_role(RoleName="r")["Role"]["RoleLastUsed"] == {
        "LastUsedDate": T1,
        "Region": "eu-central-1",
    }


def test_entries_for_deleted_entities_do_not_stop_the_batch(acct: Account, store: SqlUsage) -> None:
    iam = acct.iam()
    iam.create_user(UserName="stays")
    key_id = iam.create_access_key(UserName="stays")["AccessKey"]["AccessKeyId"]
    gone = KeyUse(T1, "iam", "us-east-1")
    store(
        UsageBatch(
            access_keys={"AKIAGONE000000000000": gone, key_id: gone},
            roles={"AROAGONE": Use(T1, "us-east-1")},
        )
    )
    used = iam.get_access_key_last_used(AccessKeyId=key_id)["AccessKeyLastUsed"]
    assert used["LastUsedDate"] == T1
