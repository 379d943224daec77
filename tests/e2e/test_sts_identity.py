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
