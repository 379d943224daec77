"""Role trust policies over HTTP with boto3: CreateRole's AssumeRolePolicyDocument and
UpdateAssumeRolePolicy, validated as trust policies whose AWS principals exist."""

from __future__ import annotations

import json
from typing import Any

from iamd_testkit import Account, AccountMaker, aws_error


def trust(principal: Any, **statement: Any) -> str:
    body = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", **statement}
    return json.dumps({"Version": "2012-10-17", "Statement": [body]})


EC2 = trust({"Service": "ec2.amazonaws.com"})


def role_names(iam: Any) -> list[str]:
    return [r["RoleName"] for r in iam.list_roles()["Roles"]]


def refused(account: Account, document: str) -> tuple[str, str]:
    iam = account.iam()
    error = aws_error(iam.create_role, RoleName="Refused", AssumeRolePolicyDocument=document)
    assert aws_error(iam.get_role, RoleName="Refused").code == "NoSuchEntity"
    return error.code, error.message


def test_trust_policy_needs_a_principal(account: Account) -> None:
    document = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    )
    assert refused(account, document) == (
        "MalformedPolicyDocument",
        "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: "
        "The passed in policy has a statement with no principals!",
    )


def test_trust_policy_grants_only_sts_actions(account: Account) -> None:
    document = trust({"Service": "ec2.amazonaws.com"}).replace("sts:AssumeRole", "s3:GetObject")
    code, message = refused(account, document)
    assert code == "MalformedPolicyDocument"
    assert message.startswith("Trust Policy statement actions can only be sts:AssumeRole")


def test_trust_policy_has_no_resource(account: Account) -> None:
    assert refused(account, trust({"Service": "ec2.amazonaws.com"}, Resource="*")) == (
        "MalformedPolicyDocument",
        "Has prohibited field Resource.",
    )


def test_trust_policy_must_be_json(account: Account) -> None:
    assert refused(account, "{not json") == ("MalformedPolicyDocument", "Syntax errors in policy.")


def test_trust_policy_size_quota(account: Account) -> None:
    services = [f"service{i:04d}.amazonaws.com" for i in range(80)]
    code, message = refused(account, trust({"Service": services}))
    assert (code, message) == ("LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048")


def test_trust_policy_accepts_accounts_root_and_anyone(account: Account) -> None:
    iam = account.iam()
    for i, principal in enumerate(
        (account.id, f"arn:aws:iam::{account.id}:root", "*", "999999999999")
    ):
        iam.create_role(RoleName=f"ok{i}", AssumeRolePolicyDocument=trust({"AWS": principal}))
    assert role_names(iam) == ["ok0", "ok1", "ok2", "ok3"]


def test_trust_policy_accepts_existing_users_and_roles(account: Account) -> None:
    iam = account.iam()
    user = iam.create_user(UserName="alice", Path="/people/")["User"]
    iam.create_role(RoleName="first", AssumeRolePolicyDocument=EC2)
    role_arn = f"arn:aws:iam::{account.id}:role/first"
    document = trust({"AWS": [user["Arn"], role_arn]})
    created = iam.create_role(RoleName="second", AssumeRolePolicyDocument=document)["Role"]
    assert created["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"] == [
        user["Arn"],
        role_arn,
    ]


def test_trust_policy_refuses_a_role_that_does_not_exist(account: Account) -> None:
    arn = f"arn:aws:iam::{account.id}:role/missing"
    assert refused(account, trust({"AWS": arn})) == (
        "MalformedPolicyDocument",
        f'Invalid principal in policy: "AWS":"{arn}"',
    )


def test_trust_policy_refuses_a_user_by_the_wrong_path_or_case(account: Account) -> None:
    account.iam().create_user(UserName="alice", Path="/people/")
    for arn in (
        f"arn:aws:iam::{account.id}:user/alice",
        f"arn:aws:iam::{account.id}:user/people/ALICE",
    ):
        assert refused(account, trust({"AWS": arn})) == (
            "MalformedPolicyDocument",
            f'Invalid principal in policy: "AWS":"{arn}"',
        )


def test_trust_policy_refuses_other_entity_kinds(account: Account) -> None:
    account.iam().create_group(GroupName="devs")
    arn = f"arn:aws:iam::{account.id}:group/devs"
    assert refused(account, trust({"AWS": arn}))[1] == f'Invalid principal in policy: "AWS":"{arn}"'


def test_trust_policy_across_accounts_of_this_server(
    account: Account, make_account: AccountMaker
) -> None:
    other = make_account()
    other.iam().create_role(RoleName="there", AssumeRolePolicyDocument=EC2)
    there = f"arn:aws:iam::{other.id}:role/there"
    account.iam().create_role(RoleName="trusting", AssumeRolePolicyDocument=trust({"AWS": there}))
    missing = f"arn:aws:iam::{other.id}:role/not-there"
    assert refused(account, trust({"AWS": missing}))[1] == (
        f'Invalid principal in policy: "AWS":"{missing}"'
    )


def test_trust_policy_refuses_roles_of_accounts_this_server_does_not_hold(
    account: Account,
) -> None:
    arn = "arn:aws:iam::999999999999:role/elsewhere"
    assert refused(account, trust({"AWS": arn}))[1] == f'Invalid principal in policy: "AWS":"{arn}"'


def test_trust_policy_accepts_session_principals(account: Account) -> None:
    iam = account.iam()
    session = f"arn:aws:sts::{account.id}:assumed-role/some-role/some-session"
    iam.create_role(RoleName="sessions", AssumeRolePolicyDocument=trust({"AWS": session}))
    assert role_names(iam) == ["sessions"]


def test_trust_policy_accepts_federated_and_service_principals(account: Account) -> None:
    iam = account.iam()
    document = trust({"Federated": "accounts.google.com"}, Action="sts:AssumeRoleWithWebIdentity")
    iam.create_role(RoleName="web", AssumeRolePolicyDocument=document)
    iam.create_role(RoleName="svc", AssumeRolePolicyDocument=EC2)
    assert role_names(iam) == ["svc", "web"]


# -- UpdateAssumeRolePolicy ---------------------------------------------------------------------


def test_update_assume_role_policy(account: Account) -> None:
    iam = account.iam()
    iam.create_role(RoleName="R", AssumeRolePolicyDocument=EC2)
    document = trust({"AWS": f"arn:aws:iam::{account.id}:root"})
    iam.update_assume_role_policy(RoleName="R", PolicyDocument=document)
    assert iam.get_role(RoleName="R")["Role"]["AssumeRolePolicyDocument"] == json.loads(document)


def test_update_assume_role_policy_refusals_change_nothing(account: Account) -> None:
    iam = account.iam()
    iam.create_role(RoleName="R", AssumeRolePolicyDocument=EC2)
    missing = f"arn:aws:iam::{account.id}:user/ghost"
    for document, code in (
        ("[]", "MalformedPolicyDocument"),
        (trust({"AWS": missing}), "MalformedPolicyDocument"),
        (trust({"Service": [f"s{i:04d}.amazonaws.com" for i in range(120)]}), "LimitExceeded"),
    ):
        error = aws_error(iam.update_assume_role_policy, RoleName="R", PolicyDocument=document)
        assert error.code == code
    assert iam.get_role(RoleName="R")["Role"]["AssumeRolePolicyDocument"] == json.loads(EC2)


def test_update_assume_role_policy_unknown_role(account: Account) -> None:
    error = aws_error(
        account.iam().update_assume_role_policy, RoleName="Nobody", PolicyDocument=EC2
    )
    assert (error.code, error.status, error.message) == (
        "NoSuchEntity",
        404,
        "The role with name Nobody cannot be found.",
    )
