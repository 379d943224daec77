"""IAM groups over HTTP: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser."""

from __future__ import annotations

import re

from iamd_testkit import Account, aws_error


def test_create_and_get_group(account: Account) -> None:
    iam = account.iam()
    group = iam.create_group(GroupName="Devs", Path="/eng/")["Group"]
    assert group["Arn"] == f"arn:aws:iam::{account.id}:group/eng/Devs"
    assert re.fullmatch(r"AGPA[A-Z2-7]{17}", group["GroupId"])
    got = iam.get_group(GroupName="devs")
    assert got["Group"] == group
    assert got["Users"] == []
    assert got["IsTruncated"] is False


def test_group_names_are_unique_regardless_of_case(account: Account) -> None:
    iam = account.iam()
    iam.create_group(GroupName="Devs")
    error = aws_error(iam.create_group, GroupName="DEVS")
    assert (error.code, error.status) == ("EntityAlreadyExists", 409)
    assert error.message == "Group with name DEVS already exists."


def test_get_group_unknown(account: Account) -> None:
    error = aws_error(account.iam().get_group, GroupName="Nope")
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == "The group with name Nope cannot be found."


def test_members_are_listed_and_paged(account: Account) -> None:
    iam = account.iam()
    iam.create_group(GroupName="G")
    for name in ("c", "a", "b"):
        iam.create_user(UserName=name)
        iam.add_user_to_group(GroupName="G", UserName=name)
    first = iam.get_group(GroupName="G", MaxItems=2)
    assert [u["UserName"] for u in first["Users"]] == ["a", "b"]
    assert first["IsTruncated"] is True
    rest = iam.get_group(GroupName="G", Marker=first["Marker"])
    assert [u["UserName"] for u in rest["Users"]] == ["c"]
    assert rest["IsTruncated"] is False


def test_add_user_to_group_twice_is_no_error(account: Account) -> None:
    iam = account.iam()
    iam.create_group(GroupName="G")
    iam.create_user(UserName="u")
    iam.add_user_to_group(GroupName="G", UserName="u")
    iam.add_user_to_group(GroupName="G", UserName="U")
    assert len(iam.get_group(GroupName="G")["Users"]) == 1


def test_add_user_to_group_unknown_user_or_group(account: Account) -> None:
    iam = account.iam()
    iam.create_group(GroupName="G")
    iam.create_user(UserName="u")
    error = aws_error(iam.add_user_to_group, GroupName="G", UserName="nobody")
    assert error.message == "The user with name nobody cannot be found."
    error = aws_error(iam.add_user_to_group, GroupName="nogroup", UserName="u")
    assert error.message == "The group with name nogroup cannot be found."


def test_a_user_joins_at_most_ten_groups(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="joiner")
    for i in range(11):
        iam.create_group(GroupName=f"g{i:02d}")
    for i in range(10):
        iam.add_user_to_group(GroupName=f"g{i:02d}", UserName="joiner")
    error = aws_error(iam.add_user_to_group, GroupName="g10", UserName="joiner")
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Cannot exceed quota for GroupsPerUser: 10"
    assert len(iam.list_groups_for_user(UserName="joiner")["Groups"]) == 10


def test_remove_user_from_group(account: Account) -> None:
    iam = account.iam()
    iam.create_group(GroupName="G")
    iam.create_user(UserName="u")
    iam.add_user_to_group(GroupName="G", UserName="u")
    iam.remove_user_from_group(GroupName="G", UserName="u")
    assert iam.get_group(GroupName="G")["Users"] == []
    iam.remove_user_from_group(GroupName="G", UserName="u")  # not a member: no error


def test_list_groups_and_groups_for_user(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    for name, path in (("b", "/x/"), ("a", "/"), ("c", "/x/y/")):
        iam.create_group(GroupName=name, Path=path)
    assert [g["GroupName"] for g in iam.list_groups()["Groups"]] == ["a", "b", "c"]
    assert [g["GroupName"] for g in iam.list_groups(PathPrefix="/x/")["Groups"]] == ["b", "c"]
    iam.add_user_to_group(GroupName="c", UserName="u")
    iam.add_user_to_group(GroupName="a", UserName="u")
    groups = iam.list_groups_for_user(UserName="u")
    assert [g["GroupName"] for g in groups["Groups"]] == ["a", "c"]
    assert aws_error(iam.list_groups_for_user, UserName="nobody").code == "NoSuchEntity"


def test_update_group(account: Account) -> None:
    iam = account.iam()
    before = iam.create_group(GroupName="Old")["Group"]
    iam.create_group(GroupName="Taken")
    error = aws_error(iam.update_group, GroupName="Old", NewGroupName="taken")
    assert error.code == "EntityAlreadyExists"
    iam.update_group(GroupName="Old", NewGroupName="New", NewPath="/p/")
    after = iam.get_group(GroupName="New")["Group"]
    assert after["GroupId"] == before["GroupId"]
    assert after["Arn"] == f"arn:aws:iam::{account.id}:group/p/New"


def test_delete_group_refused_while_it_has_members_or_policies(account: Account) -> None:
    iam = account.iam()
    iam.create_group(GroupName="G")
    iam.create_user(UserName="u")
    iam.add_user_to_group(GroupName="G", UserName="u")
    error = aws_error(iam.delete_group, GroupName="G")
    assert (error.code, error.status) == ("DeleteConflict", 409)
    assert error.message == "Cannot delete entity, must remove users from group first."
    iam.remove_user_from_group(GroupName="G", UserName="u")
    arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    iam.attach_group_policy(GroupName="G", PolicyArn=arn)
    error = aws_error(iam.delete_group, GroupName="G")
    assert error.message == "Cannot delete entity, must detach all policies first."
    iam.detach_group_policy(GroupName="G", PolicyArn=arn)
    iam.delete_group(GroupName="G")
    assert aws_error(iam.get_group, GroupName="G").code == "NoSuchEntity"


def test_deleting_a_user_removes_nothing_else(account: Account) -> None:
    iam = account.iam()
    iam.create_group(GroupName="G")
    iam.create_user(UserName="u")
    iam.add_user_to_group(GroupName="G", UserName="u")
    iam.remove_user_from_group(GroupName="G", UserName="u")
    iam.delete_user(UserName="u")
    iam.create_user(UserName="u")  # same name: not a member of the old user's groups
    assert iam.get_group(GroupName="G")["Users"] == []
