"""Inline policies of users and groups, and permissions boundaries on users (issue 3, item 4)."""

from __future__ import annotations

import json

from iamd_testkit import Account, aws_error


def _doc(action: str = "iam:ListUsers", pad: int = 0) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "S" * max(pad, 1), "Effect": "Allow", "Action": action, "Resource": "*"}
            ],
        }
    )


def test_put_get_list_delete_user_policy(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.put_user_policy(UserName="u", PolicyName="one", PolicyDocument=_doc())
    iam.put_user_policy(UserName="u", PolicyName="two", PolicyDocument=_doc("iam:ListGroups"))
    iam.put_user_policy(UserName="u", PolicyName="one", PolicyDocument=_doc("iam:ListRoles"))
    got = iam.get_user_policy(UserName="u", PolicyName="one")
    assert got["PolicyDocument"] == json.loads(_doc("iam:ListRoles"))
    assert got["UserName"] == "u"
    assert iam.list_user_policies(UserName="u")["PolicyNames"] == ["one", "two"]
    iam.delete_user_policy(UserName="u", PolicyName="one")
    assert iam.list_user_policies(UserName="u")["PolicyNames"] == ["two"]
    error = aws_error(iam.get_user_policy, UserName="u", PolicyName="one")
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == "The user policy with name one cannot be found."
    assert aws_error(iam.delete_user_policy, UserName="u", PolicyName="one").code == "NoSuchEntity"


def test_delete_user_refused_while_it_has_inline_policies(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.put_user_policy(UserName="u", PolicyName="p", PolicyDocument=_doc())
    error = aws_error(iam.delete_user, UserName="u")
    assert error.message == "Cannot delete entity, must delete policies first."


def test_group_policies(account: Account) -> None:
    iam = account.iam()
    iam.create_group(GroupName="g")
    iam.put_group_policy(GroupName="g", PolicyName="p", PolicyDocument=_doc())
    assert iam.get_group_policy(GroupName="g", PolicyName="p")["GroupName"] == "g"
    assert iam.list_group_policies(GroupName="g")["PolicyNames"] == ["p"]
    assert aws_error(iam.delete_group, GroupName="g").message == (
        "Cannot delete entity, must delete policies first."
    )
    iam.delete_group_policy(GroupName="g", PolicyName="p")
    iam.delete_group(GroupName="g")


def test_malformed_inline_policy_changes_nothing(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.put_user_policy(UserName="u", PolicyName="p", PolicyDocument=_doc())
    error = aws_error(
        iam.put_user_policy,
        UserName="u",
        PolicyName="p",
        PolicyDocument='{"Version": "2012-10-17"}',
    )
    assert (error.code, error.status) == ("MalformedPolicyDocument", 400)
    assert iam.get_user_policy(UserName="u", PolicyName="p")["PolicyDocument"] == json.loads(_doc())


def test_inline_policies_of_a_user_total_at_most_2048(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.put_user_policy(UserName="u", PolicyName="a", PolicyDocument=_doc(pad=1000))
    error = aws_error(
        iam.put_user_policy, UserName="u", PolicyName="b", PolicyDocument=_doc(pad=1000)
    )
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Maximum policy size of 2048 bytes exceeded for user u"
    assert iam.list_user_policies(UserName="u")["PolicyNames"] == ["a"]
    iam.put_user_policy(UserName="u", PolicyName="a", PolicyDocument=_doc(pad=1900))  # replaces


def test_permissions_boundary_on_a_user(account: Account) -> None:
    iam = account.iam()
    arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    iam.create_user(UserName="u", PermissionsBoundary=arn)
    assert iam.get_user(UserName="u")["User"]["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
        "PermissionsBoundaryArn": arn,
    }
    iam.delete_user_permissions_boundary(UserName="u")
    assert "PermissionsBoundary" not in iam.get_user(UserName="u")["User"]
    missing = f"arn:aws:iam::{account.id}:policy/Nope"
    error = aws_error(iam.put_user_permissions_boundary, UserName="u", PermissionsBoundary=missing)
    assert error.code == "NoSuchEntity"
    assert "PermissionsBoundary" not in iam.get_user(UserName="u")["User"]
