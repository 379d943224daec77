"""IAM roles over HTTP with boto3: CreateRole, GetRole, ListRoles, UpdateRole,
UpdateRoleDescription, DeleteRole, role tags and the RolesPerAccount quota."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from iamd.domain import Role
from iamd.ids import RandomIds
from iamd.storage import Store
from iamd_testkit import Account, Server, aws_error

EC2_TRUST: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
TRUST = json.dumps(EC2_TRUST)
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
S3_ALL = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
)


def make_role(iam: Any, name: str, **kwargs: Any) -> dict[str, Any]:
    role: dict[str, Any] = iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST, **kwargs)[
        "Role"
    ]
    return role


def role_names(iam: Any) -> list[str]:
    return [r["RoleName"] for r in iam.list_roles()["Roles"]]


@pytest.fixture(scope="module")
def store(server: Server) -> Iterator[Store]:
    """The server's data set, to fill an account up to a quota without 1,000 requests."""
    from iamd.server import ServerConfig, open_data

    config = ServerConfig(data_dir=server.data_dir, database_url=server.database_url)
    opened = open_data(config, server.env, create=False)
    yield opened.store
    opened.store.close()


def seed_roles(store: Store, account_id: str, count: int) -> None:
    now = dt.datetime.now(dt.UTC)
    ids = RandomIds()
    with store.unit_of_work(write=True) as uow:
        uow.lock_account(account_id)
        for i in range(count):
            uow.roles.add(Role(account_id, ids.unique_id("AROA"), f"seed{i:04d}", "/", now, TRUST))


# -- CreateRole ---------------------------------------------------------------------------------


def test_create_role_answers_the_role(account: Account) -> None:
    role = make_role(account.iam(), "App", Path="/svc/")
    assert role["RoleName"] == "App"
    assert role["Path"] == "/svc/"
    assert role["Arn"] == f"arn:aws:iam::{account.id}:role/svc/App"
    assert re.fullmatch(r"AROA[A-Z2-7]{17}", role["RoleId"])
    assert role["AssumeRolePolicyDocument"] == EC2_TRUST


def test_create_role_leaves_out_what_aws_leaves_out(account: Account) -> None:
    role = make_role(account.iam(), "Plain", MaxSessionDuration=7200)
    for absent in ("MaxSessionDuration", "RoleLastUsed", "Tags", "PermissionsBoundary"):
        assert absent not in role
    assert "Description" not in role


def test_create_role_with_description_boundary_and_tags(account: Account) -> None:
    boundary = READ_ONLY
    role = make_role(
        account.iam(),
        "Full",
        Description="for the app",
        PermissionsBoundary=boundary,
        Tags=[{"Key": "team", "Value": "red"}],
    )
    assert role["Description"] == "for the app"
    assert role["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
        "PermissionsBoundaryArn": boundary,
    }
    assert role["Tags"] == [{"Key": "team", "Value": "red"}]


def test_role_names_are_unique_regardless_of_case(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "App")
    error = aws_error(iam.create_role, RoleName="APP", AssumeRolePolicyDocument=TRUST)
    assert (error.code, error.status, error.type) == ("EntityAlreadyExists", 409, "Sender")
    assert error.message == "Role with name APP already exists."
    assert role_names(iam) == ["App"]


def test_create_role_refuses_the_service_role_path(account: Account) -> None:
    iam = account.iam()
    error = aws_error(
        iam.create_role,
        RoleName="AWSServiceRoleForECS",
        Path="/aws-service-role/ecs.amazonaws.com/",
        AssumeRolePolicyDocument=TRUST,
    )
    assert (error.code, error.status) == ("InvalidInput", 400)
    assert error.message == (
        "Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles"
    )
    assert role_names(iam) == []


def test_max_session_duration_bounds(account: Account) -> None:
    iam = account.iam()
    for bad in (3599, 43201):
        error = aws_error(
            iam.create_role, RoleName="R", AssumeRolePolicyDocument=TRUST, MaxSessionDuration=bad
        )
        assert error.code == "ValidationError"
        assert "maxSessionDuration" in error.message
    assert role_names(iam) == []
    make_role(iam, "Long", MaxSessionDuration=43200)
    assert iam.get_role(RoleName="Long")["Role"]["MaxSessionDuration"] == 43200


def test_create_role_with_unknown_boundary_changes_nothing(account: Account) -> None:
    iam = account.iam()
    arn = f"arn:aws:iam::{account.id}:policy/Nope"
    error = aws_error(
        iam.create_role, RoleName="R", AssumeRolePolicyDocument=TRUST, PermissionsBoundary=arn
    )
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == f"Scope ARN: {arn} does not exist or is not attachable."
    assert role_names(iam) == []


def test_create_role_with_reserved_tag_changes_nothing(account: Account) -> None:
    iam = account.iam()
    error = aws_error(
        iam.create_role,
        RoleName="R",
        AssumeRolePolicyDocument=TRUST,
        Tags=[{"Key": "aws:owner", "Value": "x"}],
    )
    assert error.code == "InvalidInput"
    assert role_names(iam) == []


def test_roles_per_account_quota(account: Account, store: Store) -> None:
    iam = account.iam()
    seed_roles(store, account.id, 999)
    make_role(iam, "the-thousandth")
    error = aws_error(iam.create_role, RoleName="one-more", AssumeRolePolicyDocument=TRUST)
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Cannot exceed quota for RolesPerAccount: 1000"
    assert aws_error(iam.get_role, RoleName="one-more").code == "NoSuchEntity"
    # Service-linked roles may exceed the quota ("Using service-linked roles").
    iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com")


# -- GetRole ------------------------------------------------------------------------------------


def test_get_role_answers_everything(account: Account) -> None:
    iam = account.iam()
    created = make_role(iam, "App", Description="d", Tags=[{"Key": "k", "Value": "v"}])
    role = iam.get_role(RoleName="app")["Role"]
    assert role["RoleId"] == created["RoleId"]
    assert role["MaxSessionDuration"] == 3600
    assert role["RoleLastUsed"] == {}
    assert role["Description"] == "d"
    assert role["Tags"] == [{"Key": "k", "Value": "v"}]
    assert role["AssumeRolePolicyDocument"] == EC2_TRUST
    assert "PermissionsBoundary" not in role
    assert "MaxSigninSessionDuration" not in role


def test_get_role_unknown(account: Account) -> None:
    error = aws_error(account.iam().get_role, RoleName="Nobody")
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == "The role with name Nobody cannot be found."


# -- ListRoles ----------------------------------------------------------------------------------


def test_list_roles_leaves_out_boundary_tags_and_last_used(account: Account) -> None:
    iam = account.iam()
    make_role(
        iam,
        "App",
        Description="d",
        PermissionsBoundary=READ_ONLY,
        Tags=[{"Key": "k", "Value": "v"}],
    )
    (listed,) = iam.list_roles()["Roles"]
    assert listed["Description"] == "d"
    assert listed["MaxSessionDuration"] == 3600
    assert listed["AssumeRolePolicyDocument"] == EC2_TRUST
    for absent in ("PermissionsBoundary", "Tags", "RoleLastUsed"):
        assert absent not in listed


def test_list_roles_pages_with_marker(account: Account) -> None:
    iam = account.iam()
    names = [f"role{i:02d}" for i in range(5)]
    for name in reversed(names):
        make_role(iam, name)
    first = iam.list_roles(MaxItems=2)
    assert [r["RoleName"] for r in first["Roles"]] == names[:2]
    assert first["IsTruncated"] is True
    second = iam.list_roles(MaxItems=2, Marker=first["Marker"])
    assert [r["RoleName"] for r in second["Roles"]] == names[2:4]
    last = iam.list_roles(MaxItems=2, Marker=second["Marker"])
    assert [r["RoleName"] for r in last["Roles"]] == names[4:]
    assert last["IsTruncated"] is False
    assert "Marker" not in last


def test_list_roles_path_prefix(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "a", Path="/eng/")
    make_role(iam, "b", Path="/eng/web/")
    make_role(iam, "c", Path="/ops/")
    listed = iam.list_roles(PathPrefix="/eng/")["Roles"]
    assert [r["RoleName"] for r in listed] == ["a", "b"]


def test_list_roles_bad_marker(account: Account) -> None:
    assert aws_error(account.iam().list_roles, Marker="garbage").code == "ValidationError"


# -- UpdateRole, UpdateRoleDescription ----------------------------------------------------------


def test_update_role_description_and_duration(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "App", Description="old")
    iam.update_role(RoleName="App", Description="new", MaxSessionDuration=43200)
    role = iam.get_role(RoleName="App")["Role"]
    assert (role["Description"], role["MaxSessionDuration"]) == ("new", 43200)
    iam.update_role(RoleName="App", MaxSessionDuration=7200)
    role = iam.get_role(RoleName="App")["Role"]
    assert (role["Description"], role["MaxSessionDuration"]) == ("new", 7200)


def test_update_role_signin_duration_set_and_reset(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "App")
    iam.update_role(RoleName="App", MaxSigninSessionDuration=86400)
    assert iam.get_role(RoleName="App")["Role"]["MaxSigninSessionDuration"] == 86400
    assert iam.list_roles()["Roles"][0]["MaxSigninSessionDuration"] == 86400
    iam.update_role(RoleName="App", ResetMaxSigninSessionDuration=True)
    assert "MaxSigninSessionDuration" not in iam.get_role(RoleName="App")["Role"]


def test_update_role_refuses_set_and_reset_together(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "App")
    iam.update_role(RoleName="App", MaxSigninSessionDuration=7200)
    error = aws_error(
        iam.update_role,
        RoleName="App",
        MaxSigninSessionDuration=3600,
        ResetMaxSigninSessionDuration=True,
    )
    assert (error.code, error.status) == ("InvalidInput", 400)
    assert iam.get_role(RoleName="App")["Role"]["MaxSigninSessionDuration"] == 7200


def test_update_role_out_of_range_changes_nothing(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "App")
    assert aws_error(iam.update_role, RoleName="App", MaxSessionDuration=100).code == (
        "ValidationError"
    )
    assert iam.get_role(RoleName="App")["Role"]["MaxSessionDuration"] == 3600


def test_update_role_unknown(account: Account) -> None:
    error = aws_error(account.iam().update_role, RoleName="Nobody", Description="x")
    assert (error.code, error.message) == (
        "NoSuchEntity",
        "The role with name Nobody cannot be found.",
    )


def test_update_role_description_answers_the_role(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "App", Tags=[{"Key": "k", "Value": "v"}])
    role = iam.update_role_description(RoleName="App", Description="described")["Role"]
    assert role["Description"] == "described"
    assert role["RoleName"] == "App"
    assert role["Tags"] == [{"Key": "k", "Value": "v"}]
    assert iam.get_role(RoleName="App")["Role"]["Description"] == "described"
    error = aws_error(iam.update_role_description, RoleName="Nobody", Description="x")
    assert error.code == "NoSuchEntity"


# -- DeleteRole ---------------------------------------------------------------------------------


def test_delete_role(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "Gone", Tags=[{"Key": "k", "Value": "v"}])
    iam.delete_role(RoleName="gone")
    assert aws_error(iam.get_role, RoleName="Gone").code == "NoSuchEntity"
    assert role_names(iam) == []
    recreated = make_role(iam, "Gone")
    assert "Tags" not in recreated
    assert "Tags" not in iam.get_role(RoleName="Gone")["Role"]


def test_delete_role_unknown(account: Account) -> None:
    error = aws_error(account.iam().delete_role, RoleName="Nobody")
    assert (error.code, error.status) == ("NoSuchEntity", 404)


def test_delete_role_in_an_instance_profile(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "R")
    iam.create_instance_profile(InstanceProfileName="P")
    iam.add_role_to_instance_profile(InstanceProfileName="P", RoleName="R")
    error = aws_error(iam.delete_role, RoleName="R")
    assert (error.code, error.status) == ("DeleteConflict", 409)
    assert error.message == "Cannot delete entity, must remove roles from instance profile first."
    assert iam.get_role(RoleName="R")["Role"]["RoleName"] == "R"


def test_delete_role_with_inline_policy(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "R")
    iam.put_role_policy(RoleName="R", PolicyName="p", PolicyDocument=S3_ALL)
    error = aws_error(iam.delete_role, RoleName="R")
    assert (error.code, error.message) == (
        "DeleteConflict",
        "Cannot delete entity, must delete policies first.",
    )
    assert iam.list_role_policies(RoleName="R")["PolicyNames"] == ["p"]


def test_delete_role_with_managed_policy(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "R")
    iam.attach_role_policy(RoleName="R", PolicyArn=READ_ONLY)
    error = aws_error(iam.delete_role, RoleName="R")
    assert (error.code, error.message) == (
        "DeleteConflict",
        "Cannot delete entity, must detach all policies first.",
    )
    assert len(iam.list_attached_role_policies(RoleName="R")["AttachedPolicies"]) == 1


def test_delete_conflicts_come_one_at_a_time(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "R")
    iam.put_role_policy(RoleName="R", PolicyName="p", PolicyDocument=S3_ALL)
    iam.attach_role_policy(RoleName="R", PolicyArn=READ_ONLY)
    iam.create_instance_profile(InstanceProfileName="P")
    iam.add_role_to_instance_profile(InstanceProfileName="P", RoleName="R")
    messages = []
    undo_steps: list[tuple[Any, dict[str, str]]] = [
        (iam.remove_role_from_instance_profile, {"InstanceProfileName": "P", "RoleName": "R"}),
        (iam.delete_role_policy, {"RoleName": "R", "PolicyName": "p"}),
        (iam.detach_role_policy, {"RoleName": "R", "PolicyArn": READ_ONLY}),
    ]
    for undo, kwargs in undo_steps:
        messages.append(aws_error(iam.delete_role, RoleName="R").message)
        undo(**kwargs)
    assert messages == [
        "Cannot delete entity, must remove roles from instance profile first.",
        "Cannot delete entity, must delete policies first.",
        "Cannot delete entity, must detach all policies first.",
    ]
    iam.delete_role(RoleName="R")
    assert role_names(iam) == []


# -- tags ---------------------------------------------------------------------------------------


def test_tag_untag_list_role_tags(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "T", Tags=[{"Key": "team", "Value": "red"}])
    iam.tag_role(RoleName="T", Tags=[{"Key": "TEAM", "Value": "blue"}, {"Key": "x", "Value": "1"}])
    tags = iam.list_role_tags(RoleName="T")
    assert tags["Tags"] == [{"Key": "TEAM", "Value": "blue"}, {"Key": "x", "Value": "1"}]
    assert tags["IsTruncated"] is False
    iam.untag_role(RoleName="T", TagKeys=["team"])
    assert iam.list_role_tags(RoleName="T")["Tags"] == [{"Key": "x", "Value": "1"}]


def test_role_tags_page(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "T", Tags=[{"Key": f"k{i}", "Value": ""} for i in range(5)])
    first = iam.list_role_tags(RoleName="T", MaxItems=3)
    assert [t["Key"] for t in first["Tags"]] == ["k0", "k1", "k2"]
    rest = iam.list_role_tags(RoleName="T", Marker=first["Marker"])
    assert [t["Key"] for t in rest["Tags"]] == ["k3", "k4"]


def test_tag_role_limit_changes_nothing(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "T", Tags=[{"Key": f"k{i}", "Value": ""} for i in range(50)])
    error = aws_error(iam.tag_role, RoleName="T", Tags=[{"Key": "extra", "Value": ""}])
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert len(iam.list_role_tags(RoleName="T")["Tags"]) == 50


def test_tag_role_refused_keys_change_nothing(account: Account) -> None:
    iam = account.iam()
    make_role(iam, "T", Tags=[{"Key": "a", "Value": "1"}])
    error = aws_error(iam.tag_role, RoleName="T", Tags=[{"Key": "aws:x", "Value": "1"}])
    assert error.code == "InvalidInput"
    error = aws_error(
        iam.tag_role, RoleName="T", Tags=[{"Key": "b", "Value": "1"}, {"Key": "B", "Value": "2"}]
    )
    assert error.code == "InvalidInput"
    assert iam.list_role_tags(RoleName="T")["Tags"] == [{"Key": "a", "Value": "1"}]


def test_role_tag_operations_on_unknown_role(account: Account) -> None:
    iam = account.iam()
    for call, kwargs in (
        (iam.tag_role, {"Tags": [{"Key": "a", "Value": "b"}]}),
        (iam.untag_role, {"TagKeys": ["a"]}),
        (iam.list_role_tags, {}),
    ):
        error = aws_error(call, RoleName="Nobody", **kwargs)
        assert (error.code, error.message) == (
            "NoSuchEntity",
            "The role with name Nobody cannot be found.",
        )
