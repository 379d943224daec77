"""Service-linked roles over HTTP with boto3: CreateServiceLinkedRole, DeleteServiceLinkedRole,
GetServiceLinkedRoleDeletionStatus, and the protection from ordinary edits."""

from __future__ import annotations

import json
import re
from typing import Any

from iamd_testkit import Account, AccountMaker, aws_error

ECS_POLICY = "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
S3_ALL = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
)
ROOT_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }
)


def attached(iam: Any, role: str) -> list[str]:
    return [
        p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    ]


def ecs_role(iam: Any) -> dict[str, Any]:
    role: dict[str, Any] = iam.create_service_linked_role(
        AWSServiceName="ecs.amazonaws.com", Description="for ECS"
    )["Role"]
    return role


# -- CreateServiceLinkedRole --------------------------------------------------------------------


def test_create_service_linked_role(account: Account) -> None:
    iam = account.iam()
    role = ecs_role(iam)
    assert role["RoleName"] == "AWSServiceRoleForECS"
    assert role["Path"] == "/aws-service-role/ecs.amazonaws.com/"
    assert role["Arn"] == (
        f"arn:aws:iam::{account.id}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"
    )
    assert re.fullmatch(r"AROA[A-Z2-7]{17}", role["RoleId"])
    assert role["AssumeRolePolicyDocument"] == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Action": ["sts:AssumeRole"],
                "Effect": "Allow",
                "Principal": {"Service": ["ecs.amazonaws.com"]},
            }
        ],
    }
    assert "Description" not in role
    assert iam.get_role(RoleName="AWSServiceRoleForECS")["Role"]["Description"] == "for ECS"


def test_service_linked_role_carries_its_service_policy(account: Account) -> None:
    iam = account.iam()
    ecs_role(iam)
    assert attached(iam, "AWSServiceRoleForECS") == [ECS_POLICY]
    assert iam.get_policy(PolicyArn=ECS_POLICY)["Policy"]["AttachmentCount"] == 1


def test_service_linked_role_names_come_from_aws_data(account: Account) -> None:
    iam = account.iam()
    for service, name, policy in (
        (
            "elasticbeanstalk.amazonaws.com",
            "AWSServiceRoleForElasticBeanstalk",
            "AWSElasticBeanstalkServiceRolePolicy",
        ),
        ("spot.amazonaws.com", "AWSServiceRoleForEC2Spot", "AWSEC2SpotServiceRolePolicy"),
        (
            "dynamodb.application-autoscaling.amazonaws.com",
            "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable",
            "AWSApplicationAutoscalingDynamoDBTablePolicy",
        ),
    ):
        role = iam.create_service_linked_role(AWSServiceName=service)["Role"]
        assert role["RoleName"] == name
        assert attached(iam, name) == [f"arn:aws:iam::aws:policy/aws-service-role/{policy}"]


def test_service_linked_role_of_a_service_aws_data_does_not_name(account: Account) -> None:
    iam = account.iam()
    role = iam.create_service_linked_role(AWSServiceName="example.amazonaws.com")["Role"]
    assert role["RoleName"] == "AWSServiceRoleForExample"
    assert attached(iam, "AWSServiceRoleForExample") == []
    role = iam.create_service_linked_role(AWSServiceName="jobs.my-thing.amazonaws.com")["Role"]
    assert role["RoleName"] == "AWSServiceRoleForMyThing_Jobs"
    assert role["Path"] == "/aws-service-role/jobs.my-thing.amazonaws.com/"


def test_custom_suffix(account: Account) -> None:
    iam = account.iam()
    role = iam.create_service_linked_role(
        AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="debug"
    )["Role"]
    assert role["RoleName"] == "AWSServiceRoleForAutoScaling_debug"
    assert role["Path"] == "/aws-service-role/autoscaling.amazonaws.com/"
    plain = iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")["Role"]
    assert plain["RoleName"] == "AWSServiceRoleForAutoScaling"


def test_custom_suffix_refused_by_some_services(account: Account) -> None:
    iam = account.iam()
    error = aws_error(
        iam.create_service_linked_role, AWSServiceName="es.amazonaws.com", CustomSuffix="two"
    )
    assert (error.code, error.status) == ("InvalidInput", 400)
    assert error.message == "Custom suffix is not allowed for es.amazonaws.com"
    assert iam.list_roles()["Roles"] == []


def test_service_linked_role_name_taken(account: Account) -> None:
    iam = account.iam()
    ecs_role(iam)
    error = aws_error(iam.create_service_linked_role, AWSServiceName="ecs.amazonaws.com")
    assert (error.code, error.status) == ("InvalidInput", 400)
    assert error.message == (
        "Service role name AWSServiceRoleForECS has been taken in this account, "
        "please try a different suffix."
    )
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["AWSServiceRoleForECS"]


def test_create_service_linked_role_refusals_change_nothing(account: Account) -> None:
    iam = account.iam()
    for kwargs in (
        {"AWSServiceName": "not-a-service"},
        {"AWSServiceName": ".amazonaws.com"},
        {"AWSServiceName": "autoscaling.amazonaws.com", "CustomSuffix": "x" * 50},
    ):
        assert aws_error(iam.create_service_linked_role, **kwargs).code == "InvalidInput"
    assert iam.list_roles()["Roles"] == []


# -- protection from ordinary edits -------------------------------------------------------------


def test_service_linked_role_is_protected(account: Account) -> None:
    iam = account.iam()
    ecs_role(iam)
    name = "AWSServiceRoleForECS"
    iam.create_instance_profile(InstanceProfileName="P")
    refusals: list[tuple[Any, dict[str, Any]]] = [
        (iam.delete_role, {}),
        (iam.update_assume_role_policy, {"PolicyDocument": ROOT_TRUST}),
        (iam.put_role_policy, {"PolicyName": "p", "PolicyDocument": S3_ALL}),
        (iam.delete_role_policy, {"PolicyName": "p"}),
        (iam.attach_role_policy, {"PolicyArn": READ_ONLY}),
        (iam.detach_role_policy, {"PolicyArn": ECS_POLICY}),
        (iam.put_role_permissions_boundary, {"PermissionsBoundary": READ_ONLY}),
        (iam.delete_role_permissions_boundary, {}),
        (iam.update_role, {"MaxSessionDuration": 7200}),
        (iam.update_role, {"MaxSigninSessionDuration": 7200}),
        (iam.add_role_to_instance_profile, {"InstanceProfileName": "P"}),
    ]
    for call, kwargs in refusals:
        error = aws_error(call, RoleName=name, **kwargs)
        assert (error.code, error.status) == ("UnmodifiableEntity", 400), call
        assert error.message == (
            f"Cannot perform the operation on the protected role '{name}' - "
            "this role is only modifiable by AWS"
        )
    role = iam.get_role(RoleName=name)["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": ["ecs.amazonaws.com"]
    }
    assert role["MaxSessionDuration"] == 3600
    assert "PermissionsBoundary" not in role
    assert attached(iam, name) == [ECS_POLICY]
    assert iam.list_role_policies(RoleName=name)["PolicyNames"] == []
    assert iam.get_instance_profile(InstanceProfileName="P")["InstanceProfile"]["Roles"] == []


def test_service_linked_role_description_and_tags_may_change(account: Account) -> None:
    iam = account.iam()
    ecs_role(iam)
    name = "AWSServiceRoleForECS"
    iam.update_role(RoleName=name, Description="first")
    iam.update_role_description(RoleName=name, Description="second")
    iam.tag_role(RoleName=name, Tags=[{"Key": "k", "Value": "v"}])
    role = iam.get_role(RoleName=name)["Role"]
    assert role["Description"] == "second"
    assert role["Tags"] == [{"Key": "k", "Value": "v"}]


# -- DeleteServiceLinkedRole, GetServiceLinkedRoleDeletionStatus --------------------------------


def test_delete_service_linked_role(account: Account) -> None:
    iam = account.iam()
    ecs_role(iam)
    task = iam.delete_service_linked_role(RoleName="AWSServiceRoleForECS")["DeletionTaskId"]
    assert re.fullmatch(
        r"task/aws-service-role/ecs\.amazonaws\.com/AWSServiceRoleForECS/"
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        task,
    )
    assert aws_error(iam.get_role, RoleName="AWSServiceRoleForECS").code == "NoSuchEntity"
    status = iam.get_service_linked_role_deletion_status(DeletionTaskId=task)
    assert status["Status"] == "SUCCEEDED"
    assert "Reason" not in status
    assert iam.get_policy(PolicyArn=ECS_POLICY)["Policy"]["AttachmentCount"] == 0
    again = ecs_role(iam)
    assert again["RoleName"] == "AWSServiceRoleForECS"
    assert attached(iam, "AWSServiceRoleForECS") == [ECS_POLICY]


def test_delete_service_linked_role_refuses_customer_roles(account: Account) -> None:
    iam = account.iam()
    iam.create_role(RoleName="Mine", AssumeRolePolicyDocument=ROOT_TRUST)
    error = aws_error(iam.delete_service_linked_role, RoleName="Mine")
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert iam.get_role(RoleName="Mine")["Role"]["RoleName"] == "Mine"
    error = aws_error(iam.delete_service_linked_role, RoleName="Nobody")
    assert (error.code, error.message) == (
        "NoSuchEntity",
        "The role with name Nobody cannot be found.",
    )


def test_deletion_status_of_unknown_tasks(account: Account, make_account: AccountMaker) -> None:
    iam = account.iam()
    error = aws_error(iam.get_service_linked_role_deletion_status, DeletionTaskId="garbage")
    assert (error.code, error.status) == ("InvalidInput", 400)
    unknown = (
        "task/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS/"
        "00000000-0000-4000-8000-000000000000"
    )
    error = aws_error(iam.get_service_linked_role_deletion_status, DeletionTaskId=unknown)
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    ecs_role(iam)
    task = iam.delete_service_linked_role(RoleName="AWSServiceRoleForECS")["DeletionTaskId"]
    other = make_account().iam()
    error = aws_error(other.get_service_linked_role_deletion_status, DeletionTaskId=task)
    assert error.code == "NoSuchEntity"
