"""GetFederationToken over HTTP: the federated user's identity, permissions as the intersection
of the caller's policies and the session policy, and where its credentials may not go."""

from __future__ import annotations

import datetime as dt
import json

from iamd_testkit import Account, aws_error
from sts.helpers import allow, document, make_user, session_of


def test_the_federated_user_is_named_in_the_account(account: Account) -> None:
    broker = make_user(account, "broker", allow(["sts:GetFederationToken", "iam:List*"]))
    answer = broker.client("sts").get_federation_token(
        Name="Bob", Policy=document(allow("iam:ListUsers"))
    )
    assert answer["FederatedUser"] == {
        "FederatedUserId": f"{account.id}:Bob",
        "Arn": f"arn:aws:sts::{account.id}:federated-user/Bob",
    }
    lifetime = answer["Credentials"]["Expiration"] - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=11, minutes=59) < lifetime <= dt.timedelta(hours=12)
    identity = session_of(account, answer).client("sts").get_caller_identity()
    assert (identity["Arn"], identity["UserId"]) == (
        f"arn:aws:sts::{account.id}:federated-user/Bob",
        f"{account.id}:Bob",
    )


def test_the_caller_needs_permission_for_the_federated_user(account: Account) -> None:
    plain = make_user(account, "plain")
    error = aws_error(plain.client("sts").get_federation_token, Name="Bob")
    assert (error.code, error.message) == (
        "AccessDenied",
        f"User: {plain.arn} is not authorized to perform: sts:GetFederationToken on resource: "
        f"arn:aws:sts::{account.id}:federated-user/Bob because no identity-based policy allows "
        "the sts:GetFederationToken action",
    )


def test_federated_credentials_cannot_call_iam(account: Account) -> None:
    broker = make_user(account, "broker", allow("*"))
    answer = broker.client("sts").get_federation_token(Name="Bob", Policy=document(allow("*")))
    error = aws_error(session_of(account, answer).client("iam").list_users)
    assert (error.code, error.status) == ("InvalidClientTokenId", 403)


def test_federated_credentials_cannot_call_sts_but_get_caller_identity(account: Account) -> None:
    broker = make_user(account, "broker", allow("*"))
    session = session_of(
        account,
        broker.client("sts").get_federation_token(Name="Bob", Policy=document(allow("*"))),
    )
    sts = session.client("sts")
    assert sts.get_caller_identity()["Account"] == account.id
    error = aws_error(sts.get_federation_token, Name="Eve")
    assert (error.code, error.message) == (
        "AccessDenied",
        "Cannot call GetFederationToken with session credentials",
    )
    assert aws_error(sts.get_session_token).code == "AccessDenied"


def test_the_root_users_federated_session_is_capped_at_one_hour(account: Account) -> None:
    answer = account.sts().get_federation_token(Name="Ops", DurationSeconds=20_000)
    lifetime = answer["Credentials"]["Expiration"] - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=59) < lifetime <= dt.timedelta(hours=1)


def test_packed_policy_size_counts_the_session_policy_and_tags(account: Account) -> None:
    broker = make_user(account, "broker", allow(["sts:GetFederationToken", "sts:TagSession"]))
    answer = broker.client("sts").get_federation_token(
        Name="Bob",
        PolicyArns=[{"arn": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"}],
        Tags=[{"Key": "Project", "Value": "Pegasus"}, {"Key": "Cost-Center", "Value": "98765"}],
    )
    assert 0 < answer["PackedPolicySize"] <= 10


def test_session_tags_need_tag_session(account: Account) -> None:
    broker = make_user(account, "broker", allow("sts:GetFederationToken"))
    error = aws_error(
        broker.client("sts").get_federation_token,
        Name="Bob",
        Tags=[{"Key": "Project", "Value": "Pegasus"}],
    )
    assert error.code == "AccessDenied"
    assert "sts:TagSession" in error.message


def test_a_malformed_session_policy_is_refused(account: Account) -> None:
    broker = make_user(account, "broker", allow("sts:GetFederationToken"))
    error = aws_error(broker.client("sts").get_federation_token, Name="Bob", Policy='{"Version":')
    assert (error.code, error.status) == ("MalformedPolicyDocument", 400)


def test_a_session_policy_arn_must_exist(account: Account) -> None:
    broker = make_user(account, "broker", allow("sts:GetFederationToken"))
    error = aws_error(
        broker.client("sts").get_federation_token,
        Name="Bob",
        PolicyArns=[{"arn": f"arn:aws:iam::{account.id}:policy/Nope"}],
    )
    assert error.code == "MalformedPolicyDocument"


def test_session_policy_narrows_but_never_widens(account: Account) -> None:
    """The federated user's permissions are the intersection of the broker's and the session
    policy's; a resource-based policy is out of scope here, so nothing else grants."""
    broker = make_user(
        account, "broker", allow("sts:GetFederationToken"), allow("sts:GetAccessKeyInfo")
    )
    session = session_of(
        account,
        broker.client("sts").get_federation_token(
            Name="Bob", Policy=json.dumps({"Version": "2012-10-17", "Statement": [allow("sts:*")]})
        ),
    )
    sts = session.client("sts")
    assert aws_error(sts.get_access_key_info, AccessKeyId=broker.key_id).code == "AccessDenied"
