"""Every IAM call by a non-root principal decided by the policy engine (issue 3, "Done when")."""

from __future__ import annotations

import json
from typing import Any

from iamd_testkit import Account, aws_cli, aws_error

S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def _user(
    account: Account,
    name: str,
    *,
    managed: tuple[str, ...] = (),
    inline: Any = None,
    boundary: str | None = None,
) -> tuple[Any, dict[str, str]]:
    iam = account.iam()
    iam.create_user(UserName=name)
    for arn in managed:
        iam.attach_user_policy(UserName=name, PolicyArn=arn)
    if inline is not None:
        iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=json.dumps(inline))
    if boundary is not None:
        iam.put_user_permissions_boundary(UserName=name, PermissionsBoundary=boundary)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return account.iam(key["AccessKeyId"], key["SecretAccessKey"]), key


def _allow(actions: Any, resource: Any = "*", condition: Any = None) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": actions, "Resource": resource}
    if condition is not None:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def test_s3_read_only_user_is_refused_create_user(account: Account) -> None:
    samy, _ = _user(account, "Samy", managed=(S3_READ,))
    error = aws_error(samy.create_user, UserName="Bob")
    assert (error.code, error.status) == ("AccessDenied", 403)
    assert error.message == (
        f"User: arn:aws:iam::{account.id}:user/Samy is not authorized to perform: "
        f"iam:CreateUser on resource: arn:aws:iam::{account.id}:user/Bob because no "
        "identity-based policy allows the iam:CreateUser action"
    )
    assert aws_error(account.iam().get_user, UserName="Bob").code == "NoSuchEntity"


def test_s3_read_only_user_is_refused_with_the_aws_cli(account: Account) -> None:
    _, key = _user(account, "Samy", managed=(S3_READ,))
    result = aws_cli(
        account,
        "iam",
        "create-user",
        "--user-name",
        "Bob",
        key_id=key["AccessKeyId"],
        secret=key["SecretAccessKey"],
    )
    assert result.returncode != 0
    assert "(AccessDenied)" in result.stderr
    assert "because no identity-based policy allows the iam:CreateUser action" in result.stderr


def test_administrator_access_allows(account: Account) -> None:
    admin, _ = _user(account, "Admin", managed=(ADMIN,))
    admin.create_user(UserName="ByAdmin")
    assert account.iam().get_user(UserName="ByAdmin")["User"]["UserName"] == "ByAdmin"


def test_users_manage_only_their_own_keys(account: Account) -> None:
    policy = _allow("iam:*AccessKey*", f"arn:aws:iam::{account.id}:user/${{aws:username}}")
    alice, _ = _user(account, "alice", inline=policy)
    account.iam().create_user(UserName="bob")
    created = alice.create_access_key()["AccessKey"]
    assert created["UserName"] == "alice"
    listed = alice.list_access_keys()["AccessKeyMetadata"]
    assert len(listed) == 2
    alice.update_access_key(AccessKeyId=created["AccessKeyId"], Status="Inactive")
    alice.delete_access_key(AccessKeyId=created["AccessKeyId"])
    error = aws_error(alice.create_access_key, UserName="bob")
    assert error.code == "AccessDenied"
    assert f"on resource: arn:aws:iam::{account.id}:user/bob" in error.message
    assert account.iam().list_access_keys(UserName="bob")["AccessKeyMetadata"] == []


def test_a_permissions_boundary_caps_an_administrator(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="capped")
    # Boundary: read-only IAM.
    boundary = iam.create_policy(
        PolicyName="ReadIamOnly",
        PolicyDocument=json.dumps(_allow(["iam:Get*", "iam:List*"])),
    )["Policy"]["Arn"]
    admin, _ = _user(account, "boss", managed=(ADMIN,), boundary=boundary)
    assert admin.get_user(UserName="capped")["User"]["UserName"] == "capped"
    error = aws_error(admin.create_user, UserName="x")
    assert error.code == "AccessDenied"
    assert error.message.endswith(
        "because no permissions boundary allows the iam:CreateUser action"
    )


def test_an_explicit_deny_wins_over_administrator_access(account: Account) -> None:
    deny = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "iam:DeleteUser", "Resource": "*"}],
    }
    admin, _ = _user(account, "boss", managed=(ADMIN,), inline=deny)
    admin.create_user(UserName="victim")
    error = aws_error(admin.delete_user, UserName="victim")
    assert error.code == "AccessDenied"
    assert error.message == (
        f"User: arn:aws:iam::{account.id}:user/boss is not authorized to perform: "
        f"iam:DeleteUser on resource: arn:aws:iam::{account.id}:user/victim with an explicit "
        "deny in an identity-based policy"
    )
    assert account.iam().get_user(UserName="victim")


def test_source_ip_condition(account: Account) -> None:
    here = _allow("iam:ListUsers", condition={"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}})
    near, _ = _user(account, "near", inline=here)
    assert near.list_users()["Users"]
    elsewhere = _allow("iam:ListUsers", condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})
    far, _ = _user(account, "far", inline=elsewhere)
    assert aws_error(far.list_users).code == "AccessDenied"


def test_request_tag_condition(account: Account) -> None:
    policy = _allow(
        ["iam:CreateUser", "iam:TagUser"],
        condition={"StringEquals": {"aws:RequestTag/team": "red"}},
    )
    creator, _ = _user(account, "creator", inline=policy)
    creator.create_user(UserName="red1", Tags=[{"Key": "team", "Value": "red"}])
    error = aws_error(
        creator.create_user, UserName="blue1", Tags=[{"Key": "team", "Value": "blue"}]
    )
    assert error.code == "AccessDenied"
    assert aws_error(creator.create_user, UserName="none1").code == "AccessDenied"
    names = [u["UserName"] for u in account.iam().list_users()["Users"]]
    assert "red1" in names and "blue1" not in names and "none1" not in names


def test_resource_tag_condition(account: Account) -> None:
    policy = _allow("iam:GetUser", condition={"StringEquals": {"aws:ResourceTag/team": "red"}})
    reader, _ = _user(account, "reader", inline=policy)
    iam = account.iam()
    iam.create_user(UserName="redone", Tags=[{"Key": "team", "Value": "red"}])
    iam.create_user(UserName="blueone", Tags=[{"Key": "team", "Value": "blue"}])
    assert reader.get_user(UserName="redone")["User"]["UserName"] == "redone"
    assert aws_error(reader.get_user, UserName="blueone").code == "AccessDenied"


def test_group_policies_apply_to_members_and_stop_when_removed(account: Account) -> None:
    iam = account.iam()
    member, _ = _user(account, "member")
    assert aws_error(member.list_users).code == "AccessDenied"
    iam.create_group(GroupName="readers")
    iam.put_group_policy(
        GroupName="readers", PolicyName="list", PolicyDocument=json.dumps(_allow("iam:ListUsers"))
    )
    iam.add_user_to_group(GroupName="readers", UserName="member")
    assert member.list_users()["Users"]
    iam.remove_user_from_group(GroupName="readers", UserName="member")
    assert aws_error(member.list_users).code == "AccessDenied"


def test_a_detached_policy_stops_at_once(account: Account) -> None:
    admin, _ = _user(account, "admin", managed=(ADMIN,))
    assert admin.list_users()["Users"]
    account.iam().detach_user_policy(UserName="admin", PolicyArn=ADMIN)
    assert aws_error(admin.list_users).code == "AccessDenied"


def test_a_new_default_version_takes_effect_at_once(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_policy(
        PolicyName="lister", PolicyDocument=json.dumps(_allow("iam:ListGroups"))
    )["Policy"]["Arn"]
    user, _ = _user(account, "u", managed=(arn,))
    assert aws_error(user.list_users).code == "AccessDenied"
    iam.create_policy_version(
        PolicyArn=arn, PolicyDocument=json.dumps(_allow("iam:ListUsers")), SetAsDefault=True
    )
    assert user.list_users()["Users"]
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v1")
    assert aws_error(user.list_users).code == "AccessDenied"


def test_get_caller_identity_needs_no_policy_even_under_explicit_deny(account: Account) -> None:
    deny = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}],
    }
    _, key = _user(account, "denied", inline=deny)
    sts = account.sts(key["AccessKeyId"], key["SecretAccessKey"])
    assert sts.get_caller_identity()["Arn"].endswith(":user/denied")
