"""GetCallerIdentity for the root user and IAM users; the one action a user may call before the
policy engine decides anything else."""

from __future__ import annotations

from iamd_testkit import Account


def test_root_identity(account: Account) -> None:
    identity = account.sts().get_caller_identity()
    assert identity["Account"] == account.id
    assert identity["Arn"] == f"arn:aws:iam::{account.id}:root"
    assert identity["UserId"] == account.id


def test_user_identity_with_a_path(account: Account) -> None:
    iam = account.iam()
    user = iam.create_user(UserName="pathy", Path="/a/b/")["User"]
    key = iam.create_access_key(UserName="pathy")["AccessKey"]
    identity = account.sts(key["AccessKeyId"], key["SecretAccessKey"]).get_caller_identity()
    assert identity == {
        "UserId": user["UserId"],
        "Account": account.id,
        "Arn": f"arn:aws:iam::{account.id}:user/a/b/pathy",
        "ResponseMetadata": identity["ResponseMetadata"],
    }


def test_a_user_is_refused_every_iam_action_with_awss_message(account: Account) -> None:
    from iamd_testkit import aws_error

    iam = account.iam()
    iam.create_user(UserName="Samy")
    key = iam.create_access_key(UserName="Samy")["AccessKey"]
    samy = account.iam(key["AccessKeyId"], key["SecretAccessKey"])
    error = aws_error(samy.create_user, UserName="Bob")
    assert (error.code, error.status) == ("AccessDenied", 403)
    assert error.message == (
        f"User: arn:aws:iam::{account.id}:user/Samy is not authorized to perform: "
        f"iam:CreateUser on resource: arn:aws:iam::{account.id}:user/Bob because no "
        "identity-based policy allows the iam:CreateUser action"
    )
    assert aws_error(iam.get_user, UserName="Bob").code == "NoSuchEntity"


def test_role_session_identity(account: Account) -> None:
    from sts.helpers import allow, make_role, make_user, session_of, trust

    user = make_user(account, "u", allow("sts:AssumeRole"))
    role_arn = make_role(account, "Deploy", trust({"AWS": account.id}), Path="/ci/")
    session = session_of(
        account, user.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="build-7")
    )
    identity = session.client("sts").get_caller_identity()
    role_id = account.iam().get_role(RoleName="Deploy")["Role"]["RoleId"]
    assert (identity["Arn"], identity["UserId"], identity["Account"]) == (
        f"arn:aws:sts::{account.id}:assumed-role/Deploy/build-7",
        f"{role_id}:build-7",
        account.id,
    )


def test_federated_user_identity(account: Account) -> None:
    from sts.helpers import session_of

    session = session_of(account, account.sts().get_federation_token(Name="Bob"))
    identity = session.client("sts").get_caller_identity()
    assert (identity["Arn"], identity["UserId"]) == (
        f"arn:aws:sts::{account.id}:federated-user/Bob",
        f"{account.id}:Bob",
    )


def test_root_session_identity(account: Account) -> None:
    from sts.helpers import session_of

    session = session_of(account, account.sts().get_session_token())
    identity = session.client("sts").get_caller_identity()
    assert (identity["Arn"], identity["UserId"]) == (f"arn:aws:iam::{account.id}:root", account.id)


def test_get_caller_identity_needs_no_permission_even_when_denied(account: Account) -> None:
    from sts.helpers import make_user

    user = make_user(
        account, "denied", {"Effect": "Deny", "Action": "sts:GetCallerIdentity", "Resource": "*"}
    )
    assert user.client("sts").get_caller_identity()["Arn"] == user.arn
