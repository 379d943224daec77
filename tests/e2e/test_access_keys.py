"""Access keys: create, list, update, delete, last used; a new key authenticates at once, an
inactive or deleted one never again."""

from __future__ import annotations

import re

from iamd_testkit import Account, aws_error


def test_create_access_key(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    key = iam.create_access_key(UserName="u")["AccessKey"]
    assert re.fullmatch(r"AKIA[A-Z2-7]{16}", key["AccessKeyId"])
    assert len(key["SecretAccessKey"]) == 40
    assert key["Status"] == "Active"
    assert key["UserName"] == "u"


def test_a_new_key_authenticates_at_once(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    key = iam.create_access_key(UserName="u")["AccessKey"]
    identity = account.sts(key["AccessKeyId"], key["SecretAccessKey"]).get_caller_identity()
    assert identity["Arn"] == f"arn:aws:iam::{account.id}:user/u"
    assert identity["Account"] == account.id
    assert identity["UserId"] == iam.get_user(UserName="u")["User"]["UserId"]


def test_an_inactive_key_is_refused_and_can_come_back(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    key = iam.create_access_key(UserName="u")["AccessKey"]
    sts = account.sts(key["AccessKeyId"], key["SecretAccessKey"])
    iam.update_access_key(UserName="u", AccessKeyId=key["AccessKeyId"], Status="Inactive")
    error = aws_error(sts.get_caller_identity)
    assert (error.code, error.status) == ("InvalidClientTokenId", 403)
    assert error.message == "The security token included in the request is invalid."
    listed = iam.list_access_keys(UserName="u")["AccessKeyMetadata"]
    assert [k["Status"] for k in listed] == ["Inactive"]
    iam.update_access_key(UserName="u", AccessKeyId=key["AccessKeyId"], Status="Active")
    assert sts.get_caller_identity()["Account"] == account.id


def test_a_deleted_key_is_refused(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    key = iam.create_access_key(UserName="u")["AccessKey"]
    sts = account.sts(key["AccessKeyId"], key["SecretAccessKey"])
    assert sts.get_caller_identity()["Account"] == account.id
    iam.delete_access_key(UserName="u", AccessKeyId=key["AccessKeyId"])
    assert aws_error(sts.get_caller_identity).code == "InvalidClientTokenId"
    assert iam.list_access_keys(UserName="u")["AccessKeyMetadata"] == []


def test_a_renamed_users_key_speaks_for_the_new_name(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="before")
    key = iam.create_access_key(UserName="before")["AccessKey"]
    sts = account.sts(key["AccessKeyId"], key["SecretAccessKey"])
    assert sts.get_caller_identity()["Arn"].endswith(":user/before")
    iam.update_user(UserName="before", NewUserName="after")
    assert sts.get_caller_identity()["Arn"].endswith(":user/after")


def test_two_keys_per_user(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_access_key(UserName="u")
    iam.create_access_key(UserName="u")
    error = aws_error(iam.create_access_key, UserName="u")
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Cannot exceed quota for AccessKeysPerUser: 2"
    assert len(iam.list_access_keys(UserName="u")["AccessKeyMetadata"]) == 2


def test_root_keys(account: Account) -> None:
    iam = account.iam()
    listed = iam.list_access_keys()["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in listed] == [account.root_key_id]
    second = iam.create_access_key()["AccessKey"]
    assert (
        account.sts(second["AccessKeyId"], second["SecretAccessKey"]).get_caller_identity()["Arn"]
        == f"arn:aws:iam::{account.id}:root"
    )
    assert aws_error(iam.create_access_key).code == "LimitExceeded"
    iam.delete_access_key(AccessKeyId=second["AccessKeyId"])


def test_keys_of_another_user_are_not_found(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="a")
    iam.create_user(UserName="b")
    key = iam.create_access_key(UserName="a")["AccessKey"]["AccessKeyId"]
    error = aws_error(iam.delete_access_key, UserName="b", AccessKeyId=key)
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == f"The Access Key with id {key} cannot be found."
    error = aws_error(iam.update_access_key, UserName="b", AccessKeyId=key, Status="Inactive")
    assert error.code == "NoSuchEntity"
    assert iam.list_access_keys(UserName="a")["AccessKeyMetadata"][0]["Status"] == "Active"


def test_keys_of_another_account_are_not_found(account: Account, make_account: object) -> None:
    other = make_account()  # type: ignore[operator]
    error = aws_error(account.iam().delete_access_key, AccessKeyId=other.root_key_id)
    assert error.code == "NoSuchEntity"
    assert other.sts().get_caller_identity()["Account"] == other.id


def test_update_access_key_status_must_be_valid(account: Account) -> None:
    iam = account.iam()
    error = aws_error(iam.update_access_key, AccessKeyId=account.root_key_id, Status="Paused")
    assert (error.code, error.status) == ("ValidationError", 400)
    assert error.message == (
        "1 validation error detected: Value at 'status' failed to satisfy constraint: "
        "Member must satisfy enum value set: [Active, Inactive, Expired]"
    )


def test_get_access_key_last_used_of_an_unused_key(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    key = iam.create_access_key(UserName="u")["AccessKey"]["AccessKeyId"]
    used = iam.get_access_key_last_used(AccessKeyId=key)
    assert used["UserName"] == "u"
    assert used["AccessKeyLastUsed"]["ServiceName"] == "N/A"
    assert used["AccessKeyLastUsed"]["Region"] == "N/A"
    assert "LastUsedDate" not in used["AccessKeyLastUsed"]
