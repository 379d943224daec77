"""Instance profiles over HTTP with boto3: CreateInstanceProfile, GetInstanceProfile,
ListInstanceProfiles, ListInstanceProfilesForRole, DeleteInstanceProfile,
AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile, instance profile tags and the
InstanceProfilesPerAccount quota."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from iamd.domain import InstanceProfile
from iamd.ids import RandomIds
from iamd.storage import Store
from iamd_testkit import Account, Server, aws_error

TRUST_DOC: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def with_role(account: Account, name: str = "R") -> Any:
    iam = account.iam()
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST_DOC))
    return iam


def profile_names(iam: Any) -> list[str]:
    return [p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]]


def profile_roles(iam: Any, name: str) -> list[str]:
    profile = iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
    return [r["RoleName"] for r in profile["Roles"]]


@pytest.fixture(scope="module")
def store(server: Server) -> Iterator[Store]:
    """The server's data set, to fill an account up to a quota without 1,000 requests."""
    from iamd.server import ServerConfig, open_data

    config = ServerConfig(data_dir=server.data_dir, database_url=server.database_url)
    opened = open_data(config, server.env, create=False)
    yield opened.store
    opened.store.close()


# -- CreateInstanceProfile ----------------------------------------------------------------------


def test_create_instance_profile(account: Account) -> None:
    profile = account.iam().create_instance_profile(InstanceProfileName="Web", Path="/app/")[
        "InstanceProfile"
    ]
    assert profile["InstanceProfileName"] == "Web"
    assert profile["Path"] == "/app/"
    assert profile["Arn"] == f"arn:aws:iam::{account.id}:instance-profile/app/Web"
    assert re.fullmatch(r"AIPA[A-Z2-7]{17}", profile["InstanceProfileId"])
    assert profile["Roles"] == []
    assert "Tags" not in profile


def test_create_instance_profile_with_tags(account: Account) -> None:
    iam = account.iam()
    tags = [{"Key": "env", "Value": "prod"}]
    profile = iam.create_instance_profile(InstanceProfileName="Web", Tags=tags)["InstanceProfile"]
    assert profile["Tags"] == tags
    assert iam.get_instance_profile(InstanceProfileName="Web")["InstanceProfile"]["Tags"] == tags


def test_instance_profile_names_are_unique_regardless_of_case(account: Account) -> None:
    iam = account.iam()
    iam.create_instance_profile(InstanceProfileName="Web")
    error = aws_error(iam.create_instance_profile, InstanceProfileName="WEB")
    assert (error.code, error.status) == ("EntityAlreadyExists", 409)
    assert error.message == "Instance Profile WEB already exists."
    assert profile_names(iam) == ["Web"]


def test_create_instance_profile_with_reserved_tag_changes_nothing(account: Account) -> None:
    iam = account.iam()
    error = aws_error(
        iam.create_instance_profile,
        InstanceProfileName="Web",
        Tags=[{"Key": "aws:x", "Value": "1"}],
    )
    assert (error.code, error.status) == ("InvalidInput", 400)
    assert profile_names(iam) == []


def test_instance_profiles_per_account_quota(account: Account, store: Store) -> None:
    now = dt.datetime.now(dt.UTC)
    ids = RandomIds()
    with store.unit_of_work(write=True) as uow:
        uow.lock_account(account.id)
        for i in range(1000):
            profile = InstanceProfile(account.id, ids.unique_id("AIPA"), f"seed{i:04d}", "/", now)
            uow.instance_profiles.add(profile)
    iam = account.iam()
    error = aws_error(iam.create_instance_profile, InstanceProfileName="one-more")
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Cannot exceed quota for InstanceProfilesPerAccount: 1000"
    assert aws_error(iam.get_instance_profile, InstanceProfileName="one-more").code == (
        "NoSuchEntity"
    )


# -- GetInstanceProfile, ListInstanceProfiles, ListInstanceProfilesForRole ----------------------


def test_get_instance_profile_with_its_role(account: Account) -> None:
    iam = with_role(account, "App")
    iam.create_instance_profile(InstanceProfileName="Web")
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="app")
    profile = iam.get_instance_profile(InstanceProfileName="WEB")["InstanceProfile"]
    (role,) = profile["Roles"]
    assert role["RoleName"] == "App"
    assert role["Arn"] == f"arn:aws:iam::{account.id}:role/App"
    assert role["AssumeRolePolicyDocument"] == TRUST_DOC
    assert "Tags" not in profile


def test_get_instance_profile_unknown(account: Account) -> None:
    error = aws_error(account.iam().get_instance_profile, InstanceProfileName="Nope")
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == "Instance Profile Nope cannot be found."


def test_list_instance_profiles_pages_and_filters(account: Account) -> None:
    iam = with_role(account)
    iam.create_instance_profile(InstanceProfileName="c", Path="/ops/")
    iam.create_instance_profile(InstanceProfileName="a", Path="/app/")
    iam.create_instance_profile(
        InstanceProfileName="b", Path="/app/", Tags=[{"Key": "k", "Value": "v"}]
    )
    iam.add_role_to_instance_profile(InstanceProfileName="b", RoleName="R")
    first = iam.list_instance_profiles(MaxItems=2)
    assert [p["InstanceProfileName"] for p in first["InstanceProfiles"]] == ["a", "b"]
    assert first["IsTruncated"] is True
    assert first["InstanceProfiles"][0]["Roles"] == []
    assert [r["RoleName"] for r in first["InstanceProfiles"][1]["Roles"]] == ["R"]
    assert "Tags" not in first["InstanceProfiles"][1]
    rest = iam.list_instance_profiles(Marker=first["Marker"])
    assert [p["InstanceProfileName"] for p in rest["InstanceProfiles"]] == ["c"]
    assert rest["IsTruncated"] is False
    app = iam.list_instance_profiles(PathPrefix="/app/")["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in app] == ["a", "b"]


def test_list_instance_profiles_for_role(account: Account) -> None:
    iam = with_role(account)
    with_role(account, "Other")
    for name in ("p2", "p1", "p3"):
        iam.create_instance_profile(InstanceProfileName=name)
    iam.add_role_to_instance_profile(InstanceProfileName="p2", RoleName="R")
    iam.add_role_to_instance_profile(InstanceProfileName="p1", RoleName="R")
    iam.add_role_to_instance_profile(InstanceProfileName="p3", RoleName="Other")
    first = iam.list_instance_profiles_for_role(RoleName="R", MaxItems=1)
    assert [p["InstanceProfileName"] for p in first["InstanceProfiles"]] == ["p1"]
    assert first["InstanceProfiles"][0]["Roles"][0]["RoleName"] == "R"
    rest = iam.list_instance_profiles_for_role(RoleName="R", Marker=first["Marker"])
    assert [p["InstanceProfileName"] for p in rest["InstanceProfiles"]] == ["p2"]
    error = aws_error(iam.list_instance_profiles_for_role, RoleName="Nobody")
    assert (error.code, error.message) == (
        "NoSuchEntity",
        "The role with name Nobody cannot be found.",
    )


def test_list_instance_profiles_bad_marker(account: Account) -> None:
    error = aws_error(account.iam().list_instance_profiles, Marker="garbage")
    assert error.code == "ValidationError"


# -- AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile ------------------------------------


def test_one_role_per_instance_profile(account: Account) -> None:
    iam = with_role(account)
    with_role(account, "Second")
    iam.create_instance_profile(InstanceProfileName="P")
    iam.add_role_to_instance_profile(InstanceProfileName="P", RoleName="R")
    for role in ("Second", "R"):
        error = aws_error(iam.add_role_to_instance_profile, InstanceProfileName="P", RoleName=role)
        assert (error.code, error.status) == ("LimitExceeded", 409)
        assert error.message == "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"
    assert profile_roles(iam, "P") == ["R"]


def test_a_role_may_be_in_several_profiles(account: Account) -> None:
    iam = with_role(account)
    for name in ("P1", "P2"):
        iam.create_instance_profile(InstanceProfileName=name)
        iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName="R")
    assert profile_roles(iam, "P1") == profile_roles(iam, "P2") == ["R"]


def test_add_role_to_instance_profile_unknowns_change_nothing(account: Account) -> None:
    iam = with_role(account)
    iam.create_instance_profile(InstanceProfileName="P")
    error = aws_error(iam.add_role_to_instance_profile, InstanceProfileName="P", RoleName="Nobody")
    assert (error.code, error.message) == (
        "NoSuchEntity",
        "The role with name Nobody cannot be found.",
    )
    error = aws_error(iam.add_role_to_instance_profile, InstanceProfileName="Nope", RoleName="R")
    assert (error.code, error.message) == ("NoSuchEntity", "Instance Profile Nope cannot be found.")
    assert profile_roles(iam, "P") == []


def test_remove_role_from_instance_profile(account: Account) -> None:
    iam = with_role(account)
    iam.create_instance_profile(InstanceProfileName="P")
    iam.add_role_to_instance_profile(InstanceProfileName="P", RoleName="R")
    iam.remove_role_from_instance_profile(InstanceProfileName="P", RoleName="R")
    assert profile_roles(iam, "P") == []
    assert iam.list_instance_profiles_for_role(RoleName="R")["InstanceProfiles"] == []
    iam.delete_role(RoleName="R")


def test_remove_role_not_in_profile(account: Account) -> None:
    iam = with_role(account)
    with_role(account, "Other")
    iam.create_instance_profile(InstanceProfileName="P")
    iam.add_role_to_instance_profile(InstanceProfileName="P", RoleName="Other")
    error = aws_error(iam.remove_role_from_instance_profile, InstanceProfileName="P", RoleName="R")
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert profile_roles(iam, "P") == ["Other"]
    error = aws_error(
        iam.remove_role_from_instance_profile, InstanceProfileName="Nope", RoleName="R"
    )
    assert error.message == "Instance Profile Nope cannot be found."
    error = aws_error(
        iam.remove_role_from_instance_profile, InstanceProfileName="P", RoleName="Nobody"
    )
    assert error.message == "The role with name Nobody cannot be found."


# -- DeleteInstanceProfile ----------------------------------------------------------------------


def test_delete_instance_profile(account: Account) -> None:
    iam = account.iam()
    iam.create_instance_profile(InstanceProfileName="P", Tags=[{"Key": "k", "Value": "v"}])
    iam.delete_instance_profile(InstanceProfileName="p")
    assert profile_names(iam) == []
    again = iam.create_instance_profile(InstanceProfileName="P")["InstanceProfile"]
    assert "Tags" not in again
    assert iam.list_instance_profile_tags(InstanceProfileName="P")["Tags"] == []


def test_delete_instance_profile_with_a_role(account: Account) -> None:
    iam = with_role(account)
    iam.create_instance_profile(InstanceProfileName="P")
    iam.add_role_to_instance_profile(InstanceProfileName="P", RoleName="R")
    error = aws_error(iam.delete_instance_profile, InstanceProfileName="P")
    assert (error.code, error.status) == ("DeleteConflict", 409)
    assert error.message == "Cannot delete entity, must remove roles from instance profile first."
    assert profile_roles(iam, "P") == ["R"]


def test_delete_instance_profile_unknown(account: Account) -> None:
    error = aws_error(account.iam().delete_instance_profile, InstanceProfileName="Nope")
    assert (error.code, error.message) == ("NoSuchEntity", "Instance Profile Nope cannot be found.")


# -- tags ---------------------------------------------------------------------------------------


def test_instance_profile_tags(account: Account) -> None:
    iam = account.iam()
    iam.create_instance_profile(InstanceProfileName="P", Tags=[{"Key": "a", "Value": "1"}])
    iam.tag_instance_profile(
        InstanceProfileName="P", Tags=[{"Key": "A", "Value": "2"}, {"Key": "b", "Value": "3"}]
    )
    listed = iam.list_instance_profile_tags(InstanceProfileName="P")
    assert listed["Tags"] == [{"Key": "A", "Value": "2"}, {"Key": "b", "Value": "3"}]
    assert listed["IsTruncated"] is False
    iam.untag_instance_profile(InstanceProfileName="P", TagKeys=["a"])
    assert iam.list_instance_profile_tags(InstanceProfileName="P")["Tags"] == [
        {"Key": "b", "Value": "3"}
    ]
    page = iam.list_instance_profile_tags(InstanceProfileName="P", MaxItems=1)
    assert page["IsTruncated"] is False


def test_instance_profile_tag_refusals_change_nothing(account: Account) -> None:
    iam = account.iam()
    tags = [{"Key": f"k{i}", "Value": ""} for i in range(50)]
    iam.create_instance_profile(InstanceProfileName="P", Tags=tags)
    error = aws_error(
        iam.tag_instance_profile, InstanceProfileName="P", Tags=[{"Key": "x", "Value": ""}]
    )
    assert (error.code, error.status) == ("LimitExceeded", 409)
    error = aws_error(
        iam.tag_instance_profile, InstanceProfileName="P", Tags=[{"Key": "aws:x", "Value": ""}]
    )
    assert error.code == "InvalidInput"
    assert iam.list_instance_profile_tags(InstanceProfileName="P")["Tags"] == tags


def test_instance_profile_tag_operations_on_unknown_profile(account: Account) -> None:
    iam = account.iam()
    for call, kwargs in (
        (iam.tag_instance_profile, {"Tags": [{"Key": "a", "Value": "b"}]}),
        (iam.untag_instance_profile, {"TagKeys": ["a"]}),
        (iam.list_instance_profile_tags, {}),
    ):
        error = aws_error(call, InstanceProfileName="Nope", **kwargs)
        assert (error.code, error.message) == (
            "NoSuchEntity",
            "Instance Profile Nope cannot be found.",
        )
