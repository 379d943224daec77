"""Racing writes from two nodes on one PostgreSQL respect uniqueness and every quota: each
write locks its account first (``lock_account``), and in READ COMMITTED every check after that
sees what the writer before it committed."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from iamd_nodes import Cluster, cluster, codes, race

from iamd_testkit import PostgresDatabases

pytestmark = pytest.mark.postgres

THREADS = 16

AWS_MANAGED = [
    f"arn:aws:iam::aws:policy/{name}"
    for name in (
        "AmazonS3ReadOnlyAccess",
        "AmazonEC2ReadOnlyAccess",
        "AmazonDynamoDBReadOnlyAccess",
        "AmazonSQSReadOnlyAccess",
        "AmazonSNSReadOnlyAccess",
        "AmazonRDSReadOnlyAccess",
        "AmazonVPCReadOnlyAccess",
        "AmazonRoute53ReadOnlyAccess",
        "AWSLambda_ReadOnlyAccess",
        "CloudWatchReadOnlyAccess",
        "IAMReadOnlyAccess",
        "AmazonKinesisReadOnlyAccess",
        "AmazonECS_FullAccess",
        "AmazonEC2ContainerRegistryReadOnly",
        "AWSCloudFormationReadOnlyAccess",
        "ReadOnlyAccess",
    )
]


@pytest.fixture(scope="module")
def nodes(
    postgres: PostgresDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    with cluster(tmp_path_factory.mktemp("races"), postgres.create("races")) as running:
        yield running


def test_one_user_name_regardless_of_case(nodes: Cluster) -> None:
    accounts = nodes.account()
    clients = [a.iam() for a in accounts]
    spellings = ["Samy", "samy", "SAMY", "sAmY"]
    outcomes = race(
        THREADS, lambda i: clients[i % 2].create_user(UserName=spellings[i % len(spellings)])
    )
    assert codes(outcomes) == {"ok": 1, "EntityAlreadyExists": THREADS - 1}
    users = clients[1].list_users()["Users"]
    assert [u["UserName"].lower() for u in users] == ["samy"]


def test_never_a_third_access_key(nodes: Cluster) -> None:
    accounts = nodes.account()
    accounts[0].iam().create_user(UserName="alice")
    clients = [a.iam() for a in accounts]
    outcomes = race(THREADS, lambda i: clients[i % 2].create_access_key(UserName="alice"))
    assert codes(outcomes) == {"ok": 2, "LimitExceeded": THREADS - 2}
    keys = clients[1].list_access_keys(UserName="alice")["AccessKeyMetadata"]
    assert len(keys) == 2


def test_never_a_sixth_policy_version(nodes: Cluster) -> None:
    accounts = nodes.account()
    document = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}],
        }
    )
    arn = accounts[0].iam().create_policy(PolicyName="p", PolicyDocument=document)["Policy"]["Arn"]
    clients = [a.iam() for a in accounts]
    outcomes = race(
        THREADS,
        lambda i: clients[i % 2].create_policy_version(
            PolicyArn=arn, PolicyDocument=document, SetAsDefault=i % 3 == 0
        ),
    )
    assert codes(outcomes) == {"ok": 4, "LimitExceeded": THREADS - 4}
    versions = clients[1].list_policy_versions(PolicyArn=arn)["Versions"]
    assert sorted(v["VersionId"] for v in versions) == ["v1", "v2", "v3", "v4", "v5"]
    assert sum(v["IsDefaultVersion"] for v in versions) == 1


def test_never_an_eleventh_attached_managed_policy(nodes: Cluster) -> None:
    accounts = nodes.account()
    accounts[0].iam().create_user(UserName="alice")
    clients = [a.iam() for a in accounts]
    outcomes = race(
        THREADS,
        lambda i: clients[i % 2].attach_user_policy(UserName="alice", PolicyArn=AWS_MANAGED[i]),
    )
    assert codes(outcomes) == {"ok": 10, "LimitExceeded": THREADS - 10}
    attached = clients[1].list_attached_user_policies(UserName="alice")["AttachedPolicies"]
    assert len(attached) == 10


def test_never_an_eleventh_group_for_a_user(nodes: Cluster) -> None:
    accounts = nodes.account()
    root = accounts[0].iam()
    root.create_user(UserName="alice")
    for i in range(THREADS):
        root.create_group(GroupName=f"g{i}")
    clients = [a.iam() for a in accounts]
    outcomes = race(
        THREADS, lambda i: clients[i % 2].add_user_to_group(GroupName=f"g{i}", UserName="alice")
    )
    assert codes(outcomes) == {"ok": 10, "LimitExceeded": THREADS - 10}
    assert len(clients[1].list_groups_for_user(UserName="alice")["Groups"]) == 10


def test_a_user_deleted_while_keys_are_made_for_it_leaves_no_orphan(nodes: Cluster) -> None:
    accounts = nodes.account()
    root = accounts[0].iam()
    root.create_user(UserName="alice")
    clients = [a.iam() for a in accounts]
    outcomes = race(
        THREADS,
        lambda i: (
            clients[1].delete_user(UserName="alice")
            if i == THREADS - 1
            else clients[i % 2].create_access_key(UserName="alice")
        ),
    )
    made = [o for o in outcomes[:-1] if o.ok]
    if outcomes[-1].ok:
        assert made == []  # the deletion won: every key creation after it found no user
    else:
        assert outcomes[-1].error == "DeleteConflict"
        assert len(made) == len(root.list_access_keys(UserName="alice")["AccessKeyMetadata"])
