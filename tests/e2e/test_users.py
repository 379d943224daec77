"""IAM users over HTTP with boto3: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser, tags."""

from __future__ import annotations

import re

from iamd_testkit import Account, aws_error


def test_create_user_answers_the_user(account: Account) -> None:
    user = account.iam().create_user(UserName="Samy", Path="/eng/")["User"]
    assert user["UserName"] == "Samy"
    assert user["Path"] == "/eng/"
    assert user["Arn"] == f"arn:aws:iam::{account.id}:user/eng/Samy"
    assert re.fullmatch(r"AIDA[A-Z2-7]{17}", user["UserId"])
    assert "Tags" not in user
    assert "PermissionsBoundary" not in user


def test_create_user_with_tags(account: Account) -> None:
    iam = account.iam()
    user = iam.create_user(
        UserName="Tagged", Tags=[{"Key": "team", "Value": "red"}, {"Key": "Env", "Value": ""}]
    )["User"]
    assert user["Tags"] == [{"Key": "team", "Value": "red"}, {"Key": "Env", "Value": ""}]
    assert iam.get_user(UserName="Tagged")["User"]["Tags"] == user["Tags"]


def test_user_names_are_unique_regardless_of_case(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="Samy")
    error = aws_error(iam.create_user, UserName="SAMY")
    assert (error.code, error.status) == ("EntityAlreadyExists", 409)
    assert error.message == "User with name SAMY already exists."
    assert error.type == "Sender"
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["Samy"]


def test_get_user_finds_the_user_regardless_of_case(account: Account) -> None:
    iam = account.iam()
    created = iam.create_user(UserName="Samy")["User"]
    assert iam.get_user(UserName="samy")["User"]["UserId"] == created["UserId"]


def test_get_user_unknown(account: Account) -> None:
    error = aws_error(account.iam().get_user, UserName="Nobody")
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == "The user with name Nobody cannot be found."


def test_get_user_without_name_answers_the_root_user(account: Account) -> None:
    user = account.iam().get_user()["User"]
    assert user["Arn"] == f"arn:aws:iam::{account.id}:root"
    assert user["UserId"] == account.id
    assert "UserName" not in user


def test_get_user_without_name_answers_the_calling_user(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="Self")
    key = iam.create_access_key(UserName="Self")["AccessKey"]
    # GetUser on oneself still needs a policy once the engine decides; until then only the
    # root user may call it, and a user is refused with AWS's message.
    error = aws_error(account.iam(key["AccessKeyId"], key["SecretAccessKey"]).get_user)
    assert error.code == "AccessDenied"
    assert error.message.startswith(
        f"User: arn:aws:iam::{account.id}:user/Self is not authorized to perform: iam:GetUser"
    )


def test_list_users_pages_with_marker(account: Account) -> None:
    iam = account.iam()
    names = [f"user{i:02d}" for i in range(7)]
    for name in reversed(names):
        iam.create_user(UserName=name)
    first = iam.list_users(MaxItems=3)
    assert first["IsTruncated"] is True
    assert [u["UserName"] for u in first["Users"]] == names[:3]
    second = iam.list_users(MaxItems=3, Marker=first["Marker"])
    assert [u["UserName"] for u in second["Users"]] == names[3:6]
    third = iam.list_users(MaxItems=3, Marker=second["Marker"])
    assert [u["UserName"] for u in third["Users"]] == names[6:]
    assert third["IsTruncated"] is False
    assert "Marker" not in third


def test_list_users_paginator_walks_everything(account: Account) -> None:
    iam = account.iam()
    for i in range(5):
        iam.create_user(UserName=f"p{i}")
    pages = iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2})
    assert [u["UserName"] for page in pages for u in page["Users"]] == [f"p{i}" for i in range(5)]


def test_list_users_path_prefix(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="a", Path="/eng/")
    iam.create_user(UserName="b", Path="/eng/web/")
    iam.create_user(UserName="c", Path="/ops/")
    iam.create_user(UserName="d", Path="/ENG/")
    listed = iam.list_users(PathPrefix="/eng/")["Users"]
    assert [u["UserName"] for u in listed] == ["a", "b"]
    assert "Tags" not in listed[0]


def test_list_users_bad_marker(account: Account) -> None:
    error = aws_error(account.iam().list_users, Marker="not-a-marker")
    assert error.code == "ValidationError"


def test_update_user_renames_and_moves(account: Account) -> None:
    iam = account.iam()
    before = iam.create_user(UserName="Old")["User"]
    iam.update_user(UserName="Old", NewUserName="New", NewPath="/moved/")
    after = iam.get_user(UserName="New")["User"]
    assert after["UserId"] == before["UserId"]
    assert after["Arn"] == f"arn:aws:iam::{account.id}:user/moved/New"
    assert aws_error(iam.get_user, UserName="Old").code == "NoSuchEntity"


def test_update_user_may_change_the_case_of_its_own_name(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="samy")
    iam.update_user(UserName="samy", NewUserName="Samy")
    assert iam.get_user(UserName="samy")["User"]["UserName"] == "Samy"


def test_update_user_to_a_taken_name(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="One")
    iam.create_user(UserName="Two")
    error = aws_error(iam.update_user, UserName="One", NewUserName="two")
    assert (error.code, error.status) == ("EntityAlreadyExists", 409)
    assert error.message == "User with name two already exists."
    assert iam.get_user(UserName="One")["User"]["UserName"] == "One"


def test_update_user_unknown(account: Account) -> None:
    assert aws_error(account.iam().update_user, UserName="Nope", NewPath="/x/").code == (
        "NoSuchEntity"
    )


def test_delete_user(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="Gone", Tags=[{"Key": "k", "Value": "v"}])
    iam.delete_user(UserName="gone")
    assert aws_error(iam.get_user, UserName="Gone").code == "NoSuchEntity"
    # A new user of the same name starts without the old one's tags.
    assert "Tags" not in iam.create_user(UserName="Gone")["User"]
    assert "Tags" not in iam.get_user(UserName="Gone")["User"]


def test_delete_user_unknown(account: Account) -> None:
    error = aws_error(account.iam().delete_user, UserName="Nobody")
    assert (error.code, error.status) == ("NoSuchEntity", 404)


def test_delete_user_refused_while_it_has_access_keys(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="Keyed")
    key = iam.create_access_key(UserName="Keyed")["AccessKey"]
    error = aws_error(iam.delete_user, UserName="Keyed")
    assert (error.code, error.status) == ("DeleteConflict", 409)
    assert error.message == "Cannot delete entity, must delete access keys first."
    iam.delete_access_key(UserName="Keyed", AccessKeyId=key["AccessKeyId"])
    iam.delete_user(UserName="Keyed")


def test_delete_user_refused_while_a_policy_is_attached(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="Attached")
    arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    iam.attach_user_policy(UserName="Attached", PolicyArn=arn)
    error = aws_error(iam.delete_user, UserName="Attached")
    assert error.message == "Cannot delete entity, must detach all policies first."
    iam.detach_user_policy(UserName="Attached", PolicyArn=arn)
    iam.delete_user(UserName="Attached")


def test_delete_user_refused_while_in_a_group(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="Member")
    iam.create_group(GroupName="G")
    iam.add_user_to_group(UserName="Member", GroupName="G")
    error = aws_error(iam.delete_user, UserName="Member")
    assert error.message == "Cannot delete entity, must remove users from group first."
    assert [u["UserName"] for u in iam.get_group(GroupName="G")["Users"]] == ["Member"]


def test_tag_untag_and_list_user_tags(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="T", Tags=[{"Key": "Team", "Value": "red"}])
    iam.tag_user(UserName="T", Tags=[{"Key": "team", "Value": "blue"}, {"Key": "x", "Value": "1"}])
    tags = iam.list_user_tags(UserName="T")
    assert tags["Tags"] == [{"Key": "team", "Value": "blue"}, {"Key": "x", "Value": "1"}]
    assert tags["IsTruncated"] is False
    iam.untag_user(UserName="T", TagKeys=["TEAM"])
    assert iam.list_user_tags(UserName="T")["Tags"] == [{"Key": "x", "Value": "1"}]


def test_tag_limit_is_fifty(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="Many", Tags=[{"Key": f"k{i}", "Value": ""} for i in range(50)])
    error = aws_error(iam.tag_user, UserName="Many", Tags=[{"Key": "one-more", "Value": ""}])
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert len(iam.list_user_tags(UserName="Many")["Tags"]) == 50


def test_tags_refuse_the_aws_prefix_and_duplicates(account: Account) -> None:
    iam = account.iam()
    error = aws_error(iam.create_user, UserName="U", Tags=[{"Key": "aws:x", "Value": "1"}])
    assert error.code == "InvalidInput"
    error = aws_error(
        iam.create_user, UserName="U", Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]
    )
    assert error.code == "InvalidInput"
    assert aws_error(iam.get_user, UserName="U").code == "NoSuchEntity"
