"""Two nodes on one PostgreSQL: a write acknowledged by one is seen by the very next request to
the other, and every cache (known keys and their status, a principal's policies) follows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from iamd_nodes import Cluster, cluster

from iamd_testkit import Account, PostgresDatabases, aws_error

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def nodes(
    postgres: PostgresDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    with cluster(tmp_path_factory.mktemp("two-nodes"), postgres.create("two_nodes")) as running:
        yield running


def _allow(*actions: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}],
        }
    )


def _user_with_key(root: Account, name: str) -> tuple[str, str]:
    iam = root.iam()
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def _warm(account: Account, key: tuple[str, str]) -> Any:
    """A request through ``account``'s node with ``key``: the node now holds the key cached."""
    return account.sts(*key).get_caller_identity()


def test_a_user_made_on_one_node_is_read_on_the_other(nodes: Cluster) -> None:
    a, b = nodes.account()
    created = a.iam().create_user(UserName="Samy", Tags=[{"Key": "team", "Value": "blue"}])
    seen = b.iam().get_user(UserName="samy")["User"]
    assert seen["UserId"] == created["User"]["UserId"]
    assert seen["Tags"] == [{"Key": "team", "Value": "blue"}]


def test_the_default_account_is_served_by_both_nodes(nodes: Cluster) -> None:
    identities = {a.sts().get_caller_identity()["Arn"] for a in nodes.default_account()}
    assert identities == {"arn:aws:iam::123456789012:root"}


def test_a_key_deleted_on_one_node_is_refused_by_the_other(nodes: Cluster) -> None:
    a, b = nodes.account()
    key = _user_with_key(a, "alice")
    assert _warm(b, key)["Arn"].endswith(":user/alice")
    a.iam().delete_access_key(UserName="alice", AccessKeyId=key[0])
    assert aws_error(b.sts(*key).get_caller_identity).code == "InvalidClientTokenId"


def test_a_key_deactivated_on_one_node_is_refused_by_the_other(nodes: Cluster) -> None:
    a, b = nodes.account()
    key = _user_with_key(a, "alice")
    _warm(b, key)
    a.iam().update_access_key(UserName="alice", AccessKeyId=key[0], Status="Inactive")
    assert aws_error(b.sts(*key).get_caller_identity).code == "InvalidClientTokenId"
    a.iam().update_access_key(UserName="alice", AccessKeyId=key[0], Status="Active")
    assert _warm(b, key)["Arn"].endswith(":user/alice")


def test_a_root_key_made_on_one_node_works_on_the_other_at_once(nodes: Cluster) -> None:
    a, b = nodes.account()
    key = a.iam().create_access_key()["AccessKey"]
    assert _warm(b, (key["AccessKeyId"], key["SecretAccessKey"]))["Arn"].endswith(":root")


def test_a_policy_detached_on_one_node_stops_allowing_on_the_other(nodes: Cluster) -> None:
    a, b = nodes.account()
    key = _user_with_key(a, "alice")
    arn = a.iam().create_policy(PolicyName="list", PolicyDocument=_allow("iam:ListUsers"))[
        "Policy"
    ]["Arn"]
    a.iam().attach_user_policy(UserName="alice", PolicyArn=arn)
    assert [u["UserName"] for u in b.iam(*key).list_users()["Users"]] == ["alice"]
    a.iam().detach_user_policy(UserName="alice", PolicyArn=arn)
    assert aws_error(b.iam(*key).list_users).code == "AccessDenied"


def test_a_user_removed_from_a_group_on_one_node_loses_its_policies_on_the_other(
    nodes: Cluster,
) -> None:
    a, b = nodes.account()
    key = _user_with_key(a, "alice")
    a.iam().create_group(GroupName="readers")
    a.iam().put_group_policy(
        GroupName="readers", PolicyName="list", PolicyDocument=_allow("iam:ListGroups")
    )
    a.iam().add_user_to_group(GroupName="readers", UserName="alice")
    assert b.iam(*key).list_groups()["Groups"][0]["GroupName"] == "readers"
    a.iam().remove_user_from_group(GroupName="readers", UserName="alice")
    assert aws_error(b.iam(*key).list_groups).code == "AccessDenied"


def test_a_new_default_policy_version_takes_effect_on_the_other_node_at_once(
    nodes: Cluster,
) -> None:
    a, b = nodes.account()
    key = _user_with_key(a, "alice")
    arn = a.iam().create_policy(PolicyName="p", PolicyDocument=_allow("iam:ListUsers"))["Policy"][
        "Arn"
    ]
    a.iam().attach_user_policy(UserName="alice", PolicyArn=arn)
    b.iam(*key).list_users()
    assert aws_error(b.iam(*key).list_groups).code == "AccessDenied"
    a.iam().create_policy_version(
        PolicyArn=arn, PolicyDocument=_allow("iam:ListGroups"), SetAsDefault=True
    )
    assert b.iam(*key).list_groups()["Groups"] == []
    assert aws_error(b.iam(*key).list_users).code == "AccessDenied"
    a.iam().set_default_policy_version(PolicyArn=arn, VersionId="v1")
    assert b.iam(*key).list_users()["Users"][0]["UserName"] == "alice"


def test_an_inline_deny_put_on_one_node_denies_on_the_other_at_once(nodes: Cluster) -> None:
    a, b = nodes.account()
    key = _user_with_key(a, "alice")
    a.iam().put_user_policy(UserName="alice", PolicyName="allow", PolicyDocument=_allow("iam:*"))
    b.iam(*key).list_users()
    deny = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "iam:ListUsers", "Resource": "*"}],
    }
    a.iam().put_user_policy(UserName="alice", PolicyName="deny", PolicyDocument=json.dumps(deny))
    assert aws_error(b.iam(*key).list_users).code == "AccessDenied"


def test_a_user_deleted_on_one_node_is_gone_on_the_other(nodes: Cluster) -> None:
    a, b = nodes.account()
    a.iam().create_user(UserName="bob")
    b.iam().get_user(UserName="bob")
    a.iam().delete_user(UserName="bob")
    assert aws_error(b.iam().get_user, UserName="bob").code == "NoSuchEntity"


def test_an_account_deleted_by_the_cli_is_refused_by_every_node(nodes: Cluster) -> None:
    a, b = nodes.account()
    a.sts().get_caller_identity()
    b.sts().get_caller_identity()
    nodes.nodes[0].iamd("account", "delete", a.id)
    assert aws_error(a.sts().get_caller_identity).code == "InvalidClientTokenId"
    assert aws_error(b.sts().get_caller_identity).code == "InvalidClientTokenId"
