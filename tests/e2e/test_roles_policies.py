"""A role's permissions over HTTP with boto3: Put/Get/Delete/ListRolePolicies,
Attach/Detach/ListAttachedRolePolicies, Put/DeleteRolePermissionsBoundary."""

from __future__ import annotations

import json
from typing import Any

from iamd_testkit import Account, aws_error

TRUST = json.dumps(
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
S3_ALL: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
SERVICE_ROLE_POLICY = "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy"


def with_role(account: Account, name: str = "R") -> Any:
    iam = account.iam()
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
    return iam


def attached(iam: Any, role: str = "R") -> list[str]:
    return [
        p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    ]


# -- inline policies ----------------------------------------------------------------------------


def test_put_get_list_delete_role_policy(account: Account) -> None:
    iam = with_role(account)
    iam.put_role_policy(RoleName="r", PolicyName="s3", PolicyDocument=json.dumps(S3_ALL))
    got = iam.get_role_policy(RoleName="R", PolicyName="s3")
    assert (got["RoleName"], got["PolicyName"]) == ("R", "s3")
    assert got["PolicyDocument"] == S3_ALL
    assert iam.list_role_policies(RoleName="R")["PolicyNames"] == ["s3"]
    iam.delete_role_policy(RoleName="R", PolicyName="s3")
    assert iam.list_role_policies(RoleName="R")["PolicyNames"] == []


def test_put_role_policy_replaces_by_name(account: Account) -> None:
    iam = with_role(account)
    iam.put_role_policy(RoleName="R", PolicyName="p", PolicyDocument=json.dumps(S3_ALL))
    other = {**S3_ALL, "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}
    iam.put_role_policy(RoleName="R", PolicyName="p", PolicyDocument=json.dumps(other))
    assert iam.get_role_policy(RoleName="R", PolicyName="p")["PolicyDocument"] == other
    assert iam.list_role_policies(RoleName="R")["PolicyNames"] == ["p"]


def test_list_role_policies_pages(account: Account) -> None:
    iam = with_role(account)
    for name in ("c", "a", "b"):
        iam.put_role_policy(RoleName="R", PolicyName=name, PolicyDocument=json.dumps(S3_ALL))
    first = iam.list_role_policies(RoleName="R", MaxItems=2)
    assert (first["PolicyNames"], first["IsTruncated"]) == (["a", "b"], True)
    rest = iam.list_role_policies(RoleName="R", Marker=first["Marker"])
    assert (rest["PolicyNames"], rest["IsTruncated"]) == (["c"], False)


def test_put_role_policy_malformed_changes_nothing(account: Account) -> None:
    iam = with_role(account)
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}
    error = aws_error(
        iam.put_role_policy, RoleName="R", PolicyName="p", PolicyDocument=json.dumps(document)
    )
    assert (error.code, error.message) == (
        "MalformedPolicyDocument",
        "Policy statement must contain resources.",
    )
    assert iam.list_role_policies(RoleName="R")["PolicyNames"] == []


def test_role_inline_policies_share_10240_characters(account: Account) -> None:
    iam = with_role(account)
    actions = [f"s3:Action{i:04d}" for i in range(320)]
    big = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
        }
    )
    iam.put_role_policy(RoleName="R", PolicyName="big", PolicyDocument=big)
    error = aws_error(iam.put_role_policy, RoleName="R", PolicyName="more", PolicyDocument=big)
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Maximum policy size of 10240 bytes exceeded for role R"
    assert iam.list_role_policies(RoleName="R")["PolicyNames"] == ["big"]


def test_role_inline_policy_errors(account: Account) -> None:
    iam = with_role(account)
    for call in (iam.get_role_policy, iam.delete_role_policy):
        error = aws_error(call, RoleName="R", PolicyName="missing")
        assert (error.code, error.status, error.message) == (
            "NoSuchEntity",
            404,
            "The role policy with name missing cannot be found.",
        )
    for call, kwargs in (
        (iam.put_role_policy, {"PolicyName": "p", "PolicyDocument": json.dumps(S3_ALL)}),
        (iam.get_role_policy, {"PolicyName": "p"}),
        (iam.delete_role_policy, {"PolicyName": "p"}),
        (iam.list_role_policies, {}),
    ):
        error = aws_error(call, RoleName="Nobody", **kwargs)
        assert (error.code, error.message) == (
            "NoSuchEntity",
            "The role with name Nobody cannot be found.",
        )


# -- managed policies ---------------------------------------------------------------------------


def test_attach_list_detach_role_policy(account: Account) -> None:
    iam = with_role(account)
    iam.attach_role_policy(RoleName="R", PolicyArn=READ_ONLY)
    iam.attach_role_policy(RoleName="R", PolicyArn=READ_ONLY)  # twice is no error
    listed = iam.list_attached_role_policies(RoleName="R")
    assert listed["AttachedPolicies"] == [{"PolicyName": "ReadOnlyAccess", "PolicyArn": READ_ONLY}]
    assert iam.get_policy(PolicyArn=READ_ONLY)["Policy"]["AttachmentCount"] == 1
    iam.detach_role_policy(RoleName="R", PolicyArn=READ_ONLY)
    assert attached(iam) == []


def test_list_attached_role_policies_path_prefix(account: Account) -> None:
    iam = with_role(account)
    iam.attach_role_policy(RoleName="R", PolicyArn=READ_ONLY)
    service = "arn:aws:iam::aws:policy/service-role/AWSAppRunnerServicePolicyForECRAccess"
    iam.attach_role_policy(RoleName="R", PolicyArn=service)
    listed = iam.list_attached_role_policies(RoleName="R", PathPrefix="/service-role/")
    assert [p["PolicyArn"] for p in listed["AttachedPolicies"]] == [service]


def test_attach_role_policy_quota_changes_nothing(account: Account) -> None:
    iam = with_role(account)
    names = [
        "AmazonAPIGatewayAdministrator",
        "AmazonAPIGatewayInvokeFullAccess",
        "AmazonAppFlowFullAccess",
        "AmazonAppFlowReadOnlyAccess",
        "AmazonAppStreamFullAccess",
        "AmazonAppStreamReadOnlyAccess",
        "AmazonAthenaFullAccess",
        "AmazonAugmentedAIFullAccess",
        "AmazonAuroraDSQLFullAccess",
        "AmazonAuroraDSQLReadOnlyAccess",
    ]
    for name in names:
        iam.attach_role_policy(RoleName="R", PolicyArn=f"arn:aws:iam::aws:policy/{name}")
    error = aws_error(iam.attach_role_policy, RoleName="R", PolicyArn=READ_ONLY)
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Cannot exceed quota for PoliciesPerRole: 10"
    assert READ_ONLY not in attached(iam)
    assert len(attached(iam)) == 10


def test_attach_service_role_policy_to_customer_role(account: Account) -> None:
    iam = with_role(account)
    error = aws_error(iam.attach_role_policy, RoleName="R", PolicyArn=SERVICE_ROLE_POLICY)
    assert (error.code, error.status, error.type) == ("PolicyNotAttachable", 400, "Sender")
    assert error.message == "Cannot attach a Service Role Policy to a Customer Role."
    assert attached(iam) == []


def test_attach_role_policy_refusals_change_nothing(account: Account) -> None:
    iam = with_role(account)
    missing = f"arn:aws:iam::{account.id}:policy/Missing"
    error = aws_error(iam.attach_role_policy, RoleName="R", PolicyArn=missing)
    assert (error.code, error.status, error.message) == (
        "NoSuchEntity",
        404,
        f"Policy {missing} does not exist or is not attachable.",
    )
    bad = "arn:aws:s3:::not-a-policy"
    error = aws_error(iam.attach_role_policy, RoleName="R", PolicyArn=bad)
    assert (error.code, error.message) == ("InvalidInput", f"ARN {bad} is not valid.")
    error = aws_error(iam.attach_role_policy, RoleName="Nobody", PolicyArn=READ_ONLY)
    assert (error.code, error.message) == (
        "NoSuchEntity",
        "The role with name Nobody cannot be found.",
    )
    assert attached(iam) == []


def test_detach_role_policy_not_attached(account: Account) -> None:
    iam = with_role(account)
    error = aws_error(iam.detach_role_policy, RoleName="R", PolicyArn=READ_ONLY)
    assert (error.code, error.status, error.message) == (
        "NoSuchEntity",
        404,
        f"Policy {READ_ONLY} was not found.",
    )
    error = aws_error(
        iam.detach_role_policy, RoleName="R", PolicyArn="arn:aws:s3:::some-bucket-name"
    )
    assert error.code == "InvalidInput"
    error = aws_error(iam.detach_role_policy, RoleName="Nobody", PolicyArn=READ_ONLY)
    assert error.code == "NoSuchEntity"


def test_list_attached_role_policies_unknown_role(account: Account) -> None:
    error = aws_error(account.iam().list_attached_role_policies, RoleName="Nobody")
    assert (error.code, error.message) == (
        "NoSuchEntity",
        "The role with name Nobody cannot be found.",
    )


# -- permissions boundary -----------------------------------------------------------------------


def test_put_and_delete_role_permissions_boundary(account: Account) -> None:
    iam = with_role(account)
    iam.put_role_permissions_boundary(RoleName="R", PermissionsBoundary=READ_ONLY)
    assert iam.get_role(RoleName="R")["Role"]["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
        "PermissionsBoundaryArn": READ_ONLY,
    }
    assert iam.get_policy(PolicyArn=READ_ONLY)["Policy"]["AttachmentCount"] == 0
    iam.delete_role_permissions_boundary(RoleName="R")
    assert "PermissionsBoundary" not in iam.get_role(RoleName="R")["Role"]


def test_put_role_permissions_boundary_refusals_change_nothing(account: Account) -> None:
    iam = with_role(account)
    missing = f"arn:aws:iam::{account.id}:policy/Missing"
    error = aws_error(iam.put_role_permissions_boundary, RoleName="R", PermissionsBoundary=missing)
    assert (error.code, error.message) == (
        "NoSuchEntity",
        f"Scope ARN: {missing} does not exist or is not attachable.",
    )
    error = aws_error(
        iam.put_role_permissions_boundary, RoleName="R", PermissionsBoundary=SERVICE_ROLE_POLICY
    )
    assert (error.code, error.message) == (
        "PolicyNotAttachable",
        "Cannot attach a Service Role Policy to a Customer Role.",
    )
    error = aws_error(
        iam.put_role_permissions_boundary,
        RoleName="R",
        PermissionsBoundary="arn:aws:s3:::some-bucket-name",
    )
    assert error.code == "InvalidInput"
    assert "PermissionsBoundary" not in iam.get_role(RoleName="R")["Role"]


def test_role_permissions_boundary_unknown_role(account: Account) -> None:
    iam = account.iam()
    error = aws_error(
        iam.put_role_permissions_boundary, RoleName="Nobody", PermissionsBoundary=READ_ONLY
    )
    assert error.code == "NoSuchEntity"
    error = aws_error(iam.delete_role_permissions_boundary, RoleName="Nobody")
    assert (error.code, error.message) == (
        "NoSuchEntity",
        "The role with name Nobody cannot be found.",
    )
