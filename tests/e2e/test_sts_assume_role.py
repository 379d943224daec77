"""AssumeRole over HTTP with boto3: trust across and within accounts, the caller's own policies,
AWS's refusals, durations, and what the session answers and may do."""

from __future__ import annotations

import datetime as dt
import json

from iamd_testkit import Account, AccountMaker, aws_error
from sts.helpers import allow, make_role, make_user, session_of, trust


def test_user_of_another_account_assumes_a_role_that_trusts_its_account(
    make_account: AccountMaker,
) -> None:
    a, b = make_account(), make_account()
    alice = make_user(a, "alice", allow("sts:AssumeRole", f"arn:aws:iam::{b.id}:role/*"))
    role_arn = make_role(b, "Reader", trust({"AWS": a.id}), allow("iam:ListRoles"))
    answer = alice.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="alice-s")
    role_id = b.iam().get_role(RoleName="Reader")["Role"]["RoleId"]
    assert answer["AssumedRoleUser"] == {
        "AssumedRoleId": f"{role_id}:alice-s",
        "Arn": f"arn:aws:sts::{b.id}:assumed-role/Reader/alice-s",
    }
    credentials = answer["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert len(credentials["SecretAccessKey"]) == 40
    assert answer["PackedPolicySize"] == 0
    lifetime = credentials["Expiration"] - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=59) < lifetime <= dt.timedelta(hours=1)


def test_the_session_does_what_the_role_allows_and_nothing_else(
    make_account: AccountMaker,
) -> None:
    a, b = make_account(), make_account()
    alice = make_user(a, "alice", allow("sts:AssumeRole"))
    role_arn = make_role(b, "Reader", trust({"AWS": a.id}), allow("iam:ListRoles"))
    session = session_of(b, alice.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="ss"))
    iam = session.client("iam")
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["Reader"]
    error = aws_error(iam.create_user, UserName="mallory")
    assert (error.code, error.status) == ("AccessDenied", 403)
    assert error.message == (
        f"User: arn:aws:sts::{b.id}:assumed-role/Reader/ss is not authorized to perform: "
        f"iam:CreateUser on resource: arn:aws:iam::{b.id}:user/mallory because no "
        "identity-based policy allows the iam:CreateUser action"
    )
    assert aws_error(b.iam().get_user, UserName="mallory").code == "NoSuchEntity"


def test_cross_account_needs_the_callers_own_policy(make_account: AccountMaker) -> None:
    a, b = make_account(), make_account()
    bob = make_user(a, "bob")
    role_arn = make_role(b, "Reader", trust({"AWS": a.id}))
    error = aws_error(bob.client("sts").assume_role, RoleArn=role_arn, RoleSessionName="ss")
    assert (error.code, error.status) == ("AccessDenied", 403)
    assert error.message == (
        f"User: {bob.arn} is not authorized to perform: sts:AssumeRole on resource: "
        f"{role_arn} because no identity-based policy allows the sts:AssumeRole action"
    )


def test_a_trust_policy_that_does_not_name_the_caller_refuses(make_account: AccountMaker) -> None:
    a, b, c = make_account(), make_account(), make_account()
    alice = make_user(a, "alice", allow("sts:AssumeRole"))
    role_arn = make_role(b, "Reader", trust({"AWS": c.id}))
    error = aws_error(alice.client("sts").assume_role, RoleArn=role_arn, RoleSessionName="ss")
    assert error.message == (
        f"User: {alice.arn} is not authorized to perform: sts:AssumeRole on resource: "
        f"{role_arn} because no role trust policy allows the sts:AssumeRole action"
    )


def test_a_role_that_does_not_exist_is_refused_like_one_that_does_not_trust(
    make_account: AccountMaker,
) -> None:
    a, b = make_account(), make_account()
    alice = make_user(a, "alice", allow("sts:AssumeRole"))
    make_role(b, "Real", trust({"AWS": make_account().id}))
    sts = alice.client("sts")
    missing = aws_error(
        sts.assume_role, RoleArn=f"arn:aws:iam::{b.id}:role/Nope", RoleSessionName="ss"
    )
    real = aws_error(
        sts.assume_role, RoleArn=f"arn:aws:iam::{b.id}:role/Real", RoleSessionName="ss"
    )
    assert missing.code == real.code == "AccessDenied"
    assert missing.message.replace("Nope", "Real") == real.message


def test_within_the_account_a_trust_naming_the_user_is_enough(account: Account) -> None:
    carol = make_user(account, "carol")
    role_arn = make_role(account, "Ops", trust({"AWS": carol.arn}))
    answer = carol.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="cc")
    assert answer["AssumedRoleUser"]["Arn"].endswith(":assumed-role/Ops/cc")


def test_within_the_account_a_trust_naming_the_account_needs_the_users_policy(
    account: Account,
) -> None:
    dave = make_user(account, "dave")
    role_arn = make_role(account, "Ops", trust({"AWS": f"arn:aws:iam::{account.id}:root"}))
    error = aws_error(dave.client("sts").assume_role, RoleArn=role_arn, RoleSessionName="dd")
    assert error.code == "AccessDenied"
    account.iam().put_user_policy(
        UserName="dave",
        PolicyName="p",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [allow("sts:AssumeRole", role_arn)]}
        ),
    )
    assert dave.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="dd")


def test_an_explicit_deny_in_the_trust_policy_wins(account: Account) -> None:
    erin = make_user(account, "erin", allow("sts:AssumeRole"))
    role_arn = make_role(
        account,
        "Ops",
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": account.id},
                        "Action": "sts:AssumeRole",
                    },
                    {"Effect": "Deny", "Principal": {"AWS": erin.arn}, "Action": "sts:AssumeRole"},
                ],
            }
        ),
    )
    error = aws_error(erin.client("sts").assume_role, RoleArn=role_arn, RoleSessionName="ee")
    assert error.message.endswith("with an explicit deny in the role trust policy")


def test_the_root_user_may_not_assume_roles(account: Account) -> None:
    role_arn = make_role(account, "Ops", trust({"AWS": account.id}))
    error = aws_error(account.sts().assume_role, RoleArn=role_arn, RoleSessionName="rr")
    assert (error.code, error.message) == (
        "AccessDenied",
        "Roles may not be assumed by root accounts.",
    )


def test_an_arn_of_another_kind_of_resource_is_invalid(account: Account) -> None:
    user = make_user(account, "u", allow("sts:AssumeRole"))
    error = aws_error(
        user.client("sts").assume_role,
        RoleArn=f"arn:aws:iam::{account.id}:user/u",
        RoleSessionName="ss",
    )
    assert (error.code, error.message, error.status) == (
        "ValidationError",
        "Request ARN is invalid",
        400,
    )


def test_duration_up_to_the_roles_maximum(account: Account) -> None:
    user = make_user(account, "u", allow("sts:AssumeRole"))
    role_arn = make_role(account, "Long", trust({"AWS": account.id}), MaxSessionDuration=7200)
    sts = user.client("sts")
    answer = sts.assume_role(RoleArn=role_arn, RoleSessionName="ss", DurationSeconds=7200)
    lifetime = answer["Credentials"]["Expiration"] - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=119) < lifetime <= dt.timedelta(hours=2)
    error = aws_error(sts.assume_role, RoleArn=role_arn, RoleSessionName="ss", DurationSeconds=7201)
    assert (error.code, error.message) == (
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    )


def test_duration_below_fifteen_minutes_is_a_validation_error(account: Account) -> None:
    user = make_user(account, "u", allow("sts:AssumeRole"))
    role_arn = make_role(account, "R", trust({"AWS": account.id}))
    error = aws_error(
        user.client("sts").assume_role, RoleArn=role_arn, RoleSessionName="ss", DurationSeconds=899
    )
    assert error.code == "ValidationError"
    assert "durationSeconds" in error.message


def test_role_chaining_is_limited_to_one_hour(account: Account) -> None:
    user = make_user(account, "u", allow("sts:AssumeRole"))
    first = make_role(account, "First", trust({"AWS": account.id}), allow("sts:AssumeRole"))
    second = make_role(account, "Second", trust({"AWS": account.id}), MaxSessionDuration=43200)
    session = session_of(
        account, user.client("sts").assume_role(RoleArn=first, RoleSessionName="aa")
    )
    sts = session.client("sts")
    error = aws_error(sts.assume_role, RoleArn=second, RoleSessionName="bb", DurationSeconds=3601)
    assert (error.code, error.message) == (
        "ValidationError",
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
        "role chaining.",
    )
    chained = sts.assume_role(RoleArn=second, RoleSessionName="bb", DurationSeconds=3600)
    assert chained["AssumedRoleUser"]["Arn"].endswith(":assumed-role/Second/bb")


def test_a_role_session_trusted_by_its_role_arn(account: Account) -> None:
    user = make_user(account, "u", allow("sts:AssumeRole"))
    first = make_role(account, "First", trust({"AWS": account.id}), allow("sts:AssumeRole"))
    second = make_role(account, "Second", trust({"AWS": first}))
    session = session_of(
        account, user.client("sts").assume_role(RoleArn=first, RoleSessionName="aa")
    )
    assert session.client("sts").assume_role(RoleArn=second, RoleSessionName="bb")
    error = aws_error(user.client("sts").assume_role, RoleArn=second, RoleSessionName="cc")
    assert error.code == "AccessDenied"


def test_role_last_used_is_recorded(account: Account) -> None:
    user = make_user(account, "u", allow("sts:AssumeRole"))
    role_arn = make_role(account, "R", trust({"AWS": account.id}))
    assert account.iam().get_role(RoleName="R")["Role"]["RoleLastUsed"] == {}
    user.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="ss")
    last = account.iam().get_role(RoleName="R")["Role"]["RoleLastUsed"]
    assert last["Region"] == "us-east-1"
    assert dt.datetime.now(dt.UTC) - last["LastUsedDate"] < dt.timedelta(minutes=1)


def test_service_principal_trust_policy_of_the_tutorial_is_accepted(account: Account) -> None:
    """The User Guide's EC2 role: trust ``ec2.amazonaws.com``, permissions ``s3:*``. Users are
    not that service, so they cannot assume it."""
    iam = account.iam()
    ec2_trust = trust({"Service": "ec2.amazonaws.com"})
    iam.create_role(RoleName="EC2-S3", AssumeRolePolicyDocument=ec2_trust)
    iam.put_role_policy(
        RoleName="EC2-S3",
        PolicyName="s3",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
            }
        ),
    )
    role = iam.get_role(RoleName="EC2-S3")["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "ec2.amazonaws.com"
    }
    user = make_user(account, "u", allow("sts:AssumeRole"))
    error = aws_error(user.client("sts").assume_role, RoleArn=role["Arn"], RoleSessionName="ss")
    assert error.code == "AccessDenied"


def test_a_role_session_of_another_account_assumes_a_role_trusting_its_role(
    make_account: AccountMaker,
) -> None:
    a, b = make_account(), make_account()
    user = make_user(a, "u", allow("sts:AssumeRole"))
    hub = make_role(
        a, "Hub", trust({"AWS": a.id}), allow("sts:AssumeRole", f"arn:aws:iam::{b.id}:role/*")
    )
    spoke = make_role(b, "Spoke", trust({"AWS": hub}), allow("iam:ListRoles"))
    hub_session = session_of(a, user.client("sts").assume_role(RoleArn=hub, RoleSessionName="hub1"))
    answer = hub_session.client("sts").assume_role(RoleArn=spoke, RoleSessionName="spoke1")
    assert answer["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{b.id}:assumed-role/Spoke/spoke1"
    assert session_of(b, answer).client("iam").list_roles()["Roles"]
    other_user = make_user(a, "v", allow("sts:AssumeRole"))
    assert aws_error(
        other_user.client("sts").assume_role, RoleArn=spoke, RoleSessionName="vv"
    ).code == ("AccessDenied")
