"""GetAccountAuthorizationDetails over HTTP with boto3: users, groups, roles and managed
policies with their relationships and documents, filters, and pages that cross entity types."""

from __future__ import annotations

import json
from typing import Any

from iamd_testkit import Account, aws_error

S3_READ = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}],
}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
AWS_READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"


def _populate(iam: Any) -> str:
    """A user in a group, with inline and managed policies and a boundary; a role in an
    instance profile; a customer managed policy with two versions."""
    arn: str = iam.create_policy(PolicyName="S3Read", PolicyDocument=json.dumps(S3_READ))["Policy"][
        "Arn"
    ]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(S3_READ), SetAsDefault=True)
    iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "red"}])
    iam.put_user_policy(UserName="alice", PolicyName="inline", PolicyDocument=json.dumps(S3_READ))
    iam.attach_user_policy(UserName="alice", PolicyArn=arn)
    iam.put_user_permissions_boundary(UserName="alice", PermissionsBoundary=arn)
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="alice")
    iam.put_group_policy(GroupName="devs", PolicyName="gp", PolicyDocument=json.dumps(S3_READ))
    iam.attach_group_policy(GroupName="devs", PolicyArn=AWS_READ_ONLY)
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.put_role_policy(RoleName="app", PolicyName="rp", PolicyDocument=json.dumps(S3_READ))
    iam.attach_role_policy(RoleName="app", PolicyArn=arn)
    iam.create_instance_profile(InstanceProfileName="app-profile")
    iam.add_role_to_instance_profile(InstanceProfileName="app-profile", RoleName="app")
    return arn


def test_a_new_account_has_only_empty_lists(account: Account) -> None:
    details = account.iam().get_account_authorization_details()
    for key in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"):
        assert details[key] == [], key
    assert details["IsTruncated"] is False


def test_user_details(account: Account) -> None:
    iam = account.iam()
    arn = _populate(iam)
    [user] = iam.get_account_authorization_details(Filter=["User"])["UserDetailList"]
    assert user["UserName"] == "alice"
    assert user["Arn"] == f"arn:aws:iam::{account.id}:user/alice"
    assert user["GroupList"] == ["devs"]
    assert user["AttachedManagedPolicies"] == [{"PolicyName": "S3Read", "PolicyArn": arn}]
    [inline] = user["UserPolicyList"]
    assert inline["PolicyName"] == "inline"
    # botocore decodes the URL-encoded document into a dict.
    assert inline["PolicyDocument"] == S3_READ
    assert user["PermissionsBoundary"]["PermissionsBoundaryArn"] == arn
    assert user["Tags"] == [{"Key": "team", "Value": "red"}]


def test_group_details(account: Account) -> None:
    iam = account.iam()
    _populate(iam)
    [group] = iam.get_account_authorization_details(Filter=["Group"])["GroupDetailList"]
    assert group["GroupName"] == "devs"
    assert group["AttachedManagedPolicies"] == [
        {"PolicyName": "ReadOnlyAccess", "PolicyArn": AWS_READ_ONLY}
    ]
    assert [p["PolicyName"] for p in group["GroupPolicyList"]] == ["gp"]


def test_role_details(account: Account) -> None:
    iam = account.iam()
    arn = _populate(iam)
    [role] = iam.get_account_authorization_details(Filter=["Role"])["RoleDetailList"]
    assert role["RoleName"] == "app"
    assert role["AssumeRolePolicyDocument"] == TRUST
    assert [p["PolicyName"] for p in role["RolePolicyList"]] == ["rp"]
    assert role["AttachedManagedPolicies"] == [{"PolicyName": "S3Read", "PolicyArn": arn}]
    [profile] = role["InstanceProfileList"]
    assert profile["InstanceProfileName"] == "app-profile"
    assert [r["RoleName"] for r in profile["Roles"]] == ["app"]
    assert role["RoleLastUsed"] == {}


def test_local_managed_policies_with_every_version(account: Account) -> None:
    iam = account.iam()
    arn = _populate(iam)
    policies = iam.get_account_authorization_details(Filter=["LocalManagedPolicy"])["Policies"]
    [policy] = policies
    assert policy["Arn"] == arn
    assert policy["DefaultVersionId"] == "v2"
    assert policy["AttachmentCount"] == 2
    assert policy["PermissionsBoundaryUsageCount"] == 1
    versions = {v["VersionId"]: v for v in policy["PolicyVersionList"]}
    assert set(versions) == {"v1", "v2"}
    assert versions["v2"]["IsDefaultVersion"] is True
    assert versions["v1"]["Document"] == S3_READ


def test_aws_managed_policies_only_when_attached(account: Account) -> None:
    iam = account.iam()
    assert iam.get_account_authorization_details(Filter=["AWSManagedPolicy"])["Policies"] == []
    _populate(iam)
    policies = iam.get_account_authorization_details(Filter=["AWSManagedPolicy"])["Policies"]
    assert [p["Arn"] for p in policies] == [AWS_READ_ONLY]
    assert policies[0]["PolicyVersionList"][0]["IsDefaultVersion"] is True


def test_without_filter_every_type(account: Account) -> None:
    iam = account.iam()
    _populate(iam)
    details = iam.get_account_authorization_details()
    assert len(details["UserDetailList"]) == 1
    assert len(details["GroupDetailList"]) == 1
    assert len(details["RoleDetailList"]) == 1
    assert {p["PolicyName"] for p in details["Policies"]} == {"S3Read", "ReadOnlyAccess"}


def test_pages_cross_entity_types(account: Account) -> None:
    iam = account.iam()
    _populate(iam)
    iam.create_user(UserName="bob")
    seen: list[str] = []
    marker: str | None = None
    pages = 0
    while True:
        kwargs: dict[str, Any] = {"MaxItems": 2}
        if marker:
            kwargs["Marker"] = marker
        page = iam.get_account_authorization_details(**kwargs)
        pages += 1
        found = (
            [u["UserName"] for u in page["UserDetailList"]]
            + [g["GroupName"] for g in page["GroupDetailList"]]
            + [r["RoleName"] for r in page["RoleDetailList"]]
            + [p["PolicyName"] for p in page["Policies"]]
        )
        assert len(found) <= 2
        seen += found
        if not page["IsTruncated"]:
            break
        marker = page["Marker"]
    assert seen == ["alice", "bob", "devs", "app", "S3Read", "ReadOnlyAccess"]
    assert pages == 3


def test_a_bad_marker(account: Account) -> None:
    error = aws_error(account.iam().get_account_authorization_details, Marker="not-ours")
    assert (error.code, error.status) == ("ValidationError", 400)


def test_a_bad_filter(account: Account) -> None:
    error = aws_error(account.iam().get_account_authorization_details, Filter=["Nope"])
    assert error.code == "ValidationError"
