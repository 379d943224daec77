"""Writes that only add a new entity leave the account's change counter alone, so no node drops
its caches for them; every other write bumps it (docs/storage.md)."""

from __future__ import annotations

import json
from typing import Any

from iamd_testkit import Account, AccountMaker, aws_error

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
DOC = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}],
    }
)


def test_creating_new_entities_keeps_the_counter(
    account: Account, make_account: AccountMaker
) -> None:
    iam = account.iam()
    before = make_account.version(account.id)
    iam.create_user(UserName="u", Tags=[{"Key": "k", "Value": "v"}])
    iam.create_group(GroupName="g")
    iam.create_policy(PolicyName="p", PolicyDocument=DOC)
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    iam.create_instance_profile(InstanceProfileName="ip")
    iam.create_access_key(UserName="u")
    assert make_account.version(account.id) == before


def test_every_other_write_bumps_it(account: Account, make_account: AccountMaker) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    writes: list[tuple[str, dict[str, Any]]] = [
        ("attach_user_policy", {"PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
        ("tag_user", {"Tags": [{"Key": "k", "Value": "v"}]}),
        ("put_user_policy", {"PolicyName": "p", "PolicyDocument": DOC}),
        ("update_user", {"NewPath": "/moved/"}),
    ]
    for method, args in writes:
        before = make_account.version(account.id)
        getattr(iam, method)(UserName="u", **args)
        assert make_account.version(account.id) == (before or 0) + 1, method


def test_a_refused_create_changes_nothing(account: Account, make_account: AccountMaker) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    before = make_account.version(account.id)
    assert aws_error(iam.create_user, UserName="U").code == "EntityAlreadyExists"
    assert make_account.version(account.id) == before


def test_a_principals_cached_policies_stay_right_across_neutral_writes(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="maker")
    iam.put_user_policy(UserName="maker", PolicyName="p", PolicyDocument=DOC)
    key = iam.create_access_key(UserName="maker")["AccessKey"]
    maker = account.iam(key["AccessKeyId"], key["SecretAccessKey"])
    for i in range(3):
        maker.create_user(UserName=f"made{i}")  # neutral: the maker's cache stays valid
    deny = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}],
        }
    )
    iam.put_user_policy(UserName="maker", PolicyName="deny", PolicyDocument=deny)
    assert aws_error(maker.create_user, UserName="made9").code == "AccessDenied"
    new_key = maker.create_access_key()["AccessKey"]  # neutral; the new key works at once
    fresh = account.sts(new_key["AccessKeyId"], new_key["SecretAccessKey"])
    assert fresh.get_caller_identity()["Arn"].endswith(":user/maker")
