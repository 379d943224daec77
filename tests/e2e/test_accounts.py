"""Accounts: ``iamd account create/list/delete`` against a running server's data set, and root
users confined to their own account."""

from __future__ import annotations

import json

from iamd_testkit import Account, Server, aws_error, new_account_by_cli


def test_account_create_is_seen_by_the_running_server(server: Server) -> None:
    account = new_account_by_cli(server)
    assert len(account.id) == 12 and account.id.isdigit()
    assert account.sts().get_caller_identity()["Arn"] == f"arn:aws:iam::{account.id}:root"


def test_account_create_with_an_id_and_name(server: Server) -> None:
    result = server.iamd("account", "create", "--id", "210987654321", "--name", "staging")
    data = json.loads(result.stdout)
    assert data["AccountId"] == "210987654321"
    assert data["Name"] == "staging"
    assert data["RootAccessKeyId"].startswith("AKIA")
    listed = json.loads(server.iamd("account", "list").stdout)["Accounts"]
    assert {"AccountId": "210987654321", "Name": "staging"}.items() <= next(
        a for a in listed if a["AccountId"] == "210987654321"
    ).items()
    again = server.iamd("account", "create", "--id", "210987654321", check=False)
    assert again.returncode != 0
    assert "already exists" in again.stderr


def test_account_delete_removes_everything_and_the_server_sees_it(server: Server) -> None:
    account = new_account_by_cli(server)
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_group(GroupName="g")
    iam.add_user_to_group(UserName="u", GroupName="g")
    key = iam.create_access_key(UserName="u")["AccessKey"]
    server.iamd("account", "delete", account.id)
    assert aws_error(account.sts().get_caller_identity).code == "InvalidClientTokenId"
    user_sts = account.sts(key["AccessKeyId"], key["SecretAccessKey"])
    assert aws_error(user_sts.get_caller_identity).code == "InvalidClientTokenId"
    listed = json.loads(server.iamd("account", "list").stdout)["Accounts"]
    assert account.id not in [a["AccountId"] for a in listed]


def test_deleting_an_unknown_account(server: Server) -> None:
    result = server.iamd("account", "delete", "999999999998", check=False)
    assert result.returncode != 0
    assert "does not exist" in result.stderr


def test_a_root_user_acts_only_in_its_own_account(account: Account, make_account: object) -> None:
    other = make_account()  # type: ignore[operator]
    other.iam().create_user(UserName="theirs")
    mine = account.iam()
    assert aws_error(mine.get_user, UserName="theirs").code == "NoSuchEntity"
    mine.create_user(UserName="theirs")  # same name, other account: no conflict
    assert other.iam().get_user(UserName="theirs")["User"]["Arn"] == (
        f"arn:aws:iam::{other.id}:user/theirs"
    )
