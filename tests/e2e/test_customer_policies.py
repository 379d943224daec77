"""Customer managed policies and their versions (issue 3, item 4)."""

from __future__ import annotations

import json
import re
from typing import Any

from iamd_testkit import Account, aws_error


def _doc(action: str = "iam:ListUsers") -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}],
        }
    )


def test_create_and_get_policy(account: Account) -> None:
    iam = account.iam()
    policy = iam.create_policy(
        PolicyName="Lister",
        PolicyDocument=_doc(),
        Path="/team/",
        Description="lists",
        Tags=[{"Key": "k", "Value": "v"}],
    )["Policy"]
    assert policy["Arn"] == f"arn:aws:iam::{account.id}:policy/team/Lister"
    assert re.fullmatch(r"ANPA[A-Z2-7]{17}", policy["PolicyId"])
    assert policy["DefaultVersionId"] == "v1"
    assert policy["AttachmentCount"] == 0
    assert policy["Tags"] == [{"Key": "k", "Value": "v"}]
    got = iam.get_policy(PolicyArn=policy["Arn"])["Policy"]
    assert got["Description"] == "lists"
    version = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId="v1")["PolicyVersion"]
    assert version["Document"] == json.loads(_doc())
    assert [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]] == ["Lister"]


def test_policy_names_are_unique_regardless_of_case(account: Account) -> None:
    iam = account.iam()
    iam.create_policy(PolicyName="P", PolicyDocument=_doc())
    error = aws_error(iam.create_policy, PolicyName="p", PolicyDocument=_doc())
    assert (error.code, error.status) == ("EntityAlreadyExists", 409)
    assert error.message == "A policy called p already exists. Duplicate names are not allowed."


def test_malformed_documents_are_refused_and_nothing_is_stored(account: Account) -> None:
    iam = account.iam()
    for bad in ("{not json", json.dumps({"Version": "2012-10-17", "Statement": []})):
        error = aws_error(iam.create_policy, PolicyName="Bad", PolicyDocument=bad)
        assert (error.code, error.status) == ("MalformedPolicyDocument", 400)
    with_principal = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "iam:*", "Resource": "*", "Principal": "*"}
            ],
        }
    )
    error = aws_error(iam.create_policy, PolicyName="Bad", PolicyDocument=with_principal)
    assert error.code == "MalformedPolicyDocument"
    assert iam.list_policies(Scope="Local")["Policies"] == []


def test_a_managed_policy_is_at_most_6144_characters(account: Account) -> None:
    iam = account.iam()
    actions = [f"iam:Get{'X' * 40}{i}" for i in range(150)]
    big = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
        }
    )
    error = aws_error(iam.create_policy, PolicyName="Big", PolicyDocument=big)
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Cannot exceed quota for PolicySize: 6144"


def test_versions(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_policy(PolicyName="V", PolicyDocument=_doc())["Policy"]["Arn"]
    v2 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=_doc("iam:ListGroups"))
    assert v2["PolicyVersion"]["VersionId"] == "v2"
    assert v2["PolicyVersion"]["IsDefaultVersion"] is False
    iam.create_policy_version(
        PolicyArn=arn, PolicyDocument=_doc("iam:ListRoles"), SetAsDefault=True
    )
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v3"
    listed = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in listed] == [
        ("v3", True),
        ("v2", False),
        ("v1", False),
    ]
    error = aws_error(iam.delete_policy_version, PolicyArn=arn, VersionId="v3")
    assert (error.code, error.status) == ("DeleteConflict", 409)
    assert error.message == "Cannot delete the default version of a policy."
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    v4 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=_doc())["PolicyVersion"]
    assert v4["VersionId"] == "v4"  # version numbers are never reused


def test_at_most_five_versions(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_policy(PolicyName="V", PolicyDocument=_doc())["Policy"]["Arn"]
    for _ in range(4):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=_doc())
    error = aws_error(iam.create_policy_version, PolicyArn=arn, PolicyDocument=_doc())
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert len(iam.list_policy_versions(PolicyArn=arn)["Versions"]) == 5


def test_set_default_to_an_unknown_version(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_policy(PolicyName="V", PolicyDocument=_doc())["Policy"]["Arn"]
    assert aws_error(iam.set_default_policy_version, PolicyArn=arn, VersionId="v9").code == (
        "NoSuchEntity"
    )
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v1"


def test_delete_policy_conflicts(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_policy(PolicyName="D", PolicyDocument=_doc())["Policy"]["Arn"]
    iam.create_user(UserName="u")
    iam.attach_user_policy(UserName="u", PolicyArn=arn)
    error = aws_error(iam.delete_policy, PolicyArn=arn)
    assert (error.code, error.status) == ("DeleteConflict", 409)
    iam.detach_user_policy(UserName="u", PolicyArn=arn)
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=_doc())
    assert aws_error(iam.delete_policy, PolicyArn=arn).code == "DeleteConflict"
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    iam.delete_policy(PolicyArn=arn)
    assert aws_error(iam.get_policy, PolicyArn=arn).code == "NoSuchEntity"


def test_aws_managed_policies_cannot_be_changed(account: Account) -> None:
    iam = account.iam()
    arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    assert aws_error(iam.delete_policy, PolicyArn=arn).code == "AccessDenied"
    assert aws_error(iam.create_policy_version, PolicyArn=arn, PolicyDocument=_doc()).code == (
        "AccessDenied"
    )


def test_list_entities_for_policy(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_policy(PolicyName="E", PolicyDocument=_doc())["Policy"]["Arn"]
    iam.create_user(UserName="u1")
    iam.create_user(UserName="u2")
    iam.create_group(GroupName="g1")
    iam.attach_user_policy(UserName="u1", PolicyArn=arn)
    iam.attach_group_policy(GroupName="g1", PolicyArn=arn)
    iam.put_user_permissions_boundary(UserName="u2", PermissionsBoundary=arn)
    everything = iam.list_entities_for_policy(PolicyArn=arn)
    assert [u["UserName"] for u in everything["PolicyUsers"]] == ["u1", "u2"]
    assert [g["GroupName"] for g in everything["PolicyGroups"]] == ["g1"]
    users = iam.list_entities_for_policy(
        PolicyArn=arn, EntityFilter="User", PolicyUsageFilter="PermissionsPolicy"
    )
    assert [u["UserName"] for u in users["PolicyUsers"]] == ["u1"]
    assert users["PolicyGroups"] == []
    boundary = iam.list_entities_for_policy(PolicyArn=arn, PolicyUsageFilter="PermissionsBoundary")
    assert [u["UserName"] for u in boundary["PolicyUsers"]] == ["u2"]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 1


def test_policy_tags(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_policy(PolicyName="T", PolicyDocument=_doc())["Policy"]["Arn"]
    iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    iam.untag_policy(PolicyArn=arn, TagKeys=["a"])
    tags: Any = iam.list_policy_tags(PolicyArn=arn)["Tags"]
    assert tags == [{"Key": "b", "Value": "2"}]


def test_list_entities_for_policy_names_roles(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_policy(PolicyName="R", PolicyDocument=_doc())["Policy"]["Arn"]
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "ec2.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )
    attached = iam.create_role(RoleName="attached", AssumeRolePolicyDocument=trust)["Role"]
    iam.create_role(RoleName="bounded", AssumeRolePolicyDocument=trust, PermissionsBoundary=arn)
    iam.attach_role_policy(RoleName="attached", PolicyArn=arn)
    roles = iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="Role")["PolicyRoles"]
    assert [r["RoleName"] for r in roles] == ["attached", "bounded"]
    assert roles[0]["RoleId"] == attached["RoleId"]
    policy = iam.get_policy(PolicyArn=arn)["Policy"]
    assert (policy["AttachmentCount"], policy["PermissionsBoundaryUsageCount"]) == (1, 1)
    boundary_only = iam.list_policies(Scope="Local", PolicyUsageFilter="PermissionsBoundary")
    assert [p["Arn"] for p in boundary_only["Policies"]] == [arn]


def test_list_policy_versions_pages(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_policy(PolicyName="Paged", PolicyDocument=_doc())["Policy"]["Arn"]
    for _ in range(3):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=_doc())
    first = iam.list_policy_versions(PolicyArn=arn, MaxItems=3)
    assert [v["VersionId"] for v in first["Versions"]] == ["v4", "v3", "v2"]
    assert first["IsTruncated"] is True
    rest = iam.list_policy_versions(PolicyArn=arn, Marker=first["Marker"])
    assert [v["VersionId"] for v in rest["Versions"]] == ["v1"]
    assert rest["IsTruncated"] is False
    assert aws_error(iam.list_policy_versions, PolicyArn=arn, Marker="v99").code == (
        "ValidationError"
    )


def test_list_entities_for_policy_pages(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_policy(PolicyName="Many", PolicyDocument=_doc())["Policy"]["Arn"]
    for name in ("a", "b", "c"):
        iam.create_user(UserName=name)
        iam.attach_user_policy(UserName=name, PolicyArn=arn)
    first = iam.list_entities_for_policy(PolicyArn=arn, MaxItems=2)
    assert [u["UserName"] for u in first["PolicyUsers"]] == ["a", "b"]
    assert first["IsTruncated"] is True
    rest = iam.list_entities_for_policy(PolicyArn=arn, Marker=first["Marker"])
    assert [u["UserName"] for u in rest["PolicyUsers"]] == ["c"]
    assert rest["IsTruncated"] is False
