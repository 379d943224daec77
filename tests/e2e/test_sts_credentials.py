"""Temporary credentials over HTTP: the session token signs nothing without its key, cannot be
altered or moved to another key, and dies with its role."""

from __future__ import annotations

import base64

from iamd_testkit import Account, aws_error
from sts.helpers import Session, allow, make_role, make_user, session_of, trust

INVALID = ("InvalidClientTokenId", "The security token included in the request is invalid.", 403)


def _role_session(account: Account, name: str = "Worker") -> Session:
    user = make_user(account, f"u-{name}", allow("sts:AssumeRole"))
    role_arn = make_role(account, name, trust({"AWS": account.id}), allow("iam:ListRoles"))
    return session_of(
        account, user.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="w1")
    )


def _seen(error: object) -> tuple[str, str, int]:
    return (error.code, error.message, error.status)  # type: ignore[attr-defined]


def test_a_session_signs_iam_and_sts_requests(account: Account) -> None:
    session = _role_session(account)
    assert session.client("iam").list_roles()["Roles"]
    assert session.client("sts").get_caller_identity()["Arn"].endswith(":assumed-role/Worker/w1")


def test_an_altered_token_is_an_invalid_token(account: Account) -> None:
    session = _role_session(account)
    prefix, body = session.token[:6], session.token[6:]
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[len(raw) // 2] ^= 0x01
    altered = prefix + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    client = account.client("sts", session.key_id, session.secret, altered)
    assert _seen(aws_error(client.get_caller_identity)) == INVALID


def test_garbage_as_a_token_is_an_invalid_token(account: Account) -> None:
    session = _role_session(account)
    client = account.client("sts", session.key_id, session.secret, "FwoGZXIvYXdzEJr//////////wEaDA")
    assert _seen(aws_error(client.get_caller_identity)) == INVALID


def test_a_token_is_bound_to_its_access_key(account: Account) -> None:
    first = _role_session(account, "One")
    second = _role_session(account, "Two")
    swapped = account.client("sts", second.key_id, second.secret, first.token)
    assert _seen(aws_error(swapped.get_caller_identity)) == INVALID


def test_a_session_key_without_its_token_is_unknown(account: Account) -> None:
    session = _role_session(account)
    client = account.client("sts", session.key_id, session.secret)
    assert _seen(aws_error(client.get_caller_identity)) == INVALID


def test_a_wrong_secret_does_not_match(account: Account) -> None:
    session = _role_session(account)
    client = account.client("sts", session.key_id, "x" * 40, session.token)
    assert aws_error(client.get_caller_identity).code == "SignatureDoesNotMatch"


def test_deleting_the_role_ends_its_sessions(account: Account) -> None:
    session = _role_session(account)
    iam = session.client("iam")
    assert iam.list_roles()
    account.iam().delete_role_policy(RoleName="Worker", PolicyName="p")
    account.iam().delete_role(RoleName="Worker")
    assert _seen(aws_error(iam.list_roles)) == INVALID


def test_a_role_made_again_with_the_same_name_does_not_revive_old_sessions(
    account: Account,
) -> None:
    session = _role_session(account)
    admin = account.iam()
    admin.delete_role_policy(RoleName="Worker", PolicyName="p")
    admin.delete_role(RoleName="Worker")
    make_role(account, "Worker", trust({"AWS": account.id}), allow("iam:ListRoles"))
    assert _seen(aws_error(session.client("iam").list_roles)) == INVALID


def test_deleting_the_user_ends_its_session_tokens(account: Account) -> None:
    user = make_user(account, "leaver")
    session = session_of(account, user.client("sts").get_session_token())
    assert session.client("sts").get_caller_identity()
    admin = account.iam()
    admin.delete_access_key(UserName="leaver", AccessKeyId=user.key_id)
    admin.delete_user(UserName="leaver")
    assert _seen(aws_error(session.client("sts").get_caller_identity)) == INVALID


def test_revoking_sessions_as_the_console_does(account: Account) -> None:
    """The console's "Revoke active sessions" attaches AWSRevokeOlderSessions: a deny of every
    action for tokens issued before now."""
    import datetime as dt
    import json

    session = _role_session(account)
    assert session.client("iam").list_roles()
    cutoff = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    account.iam().put_role_policy(
        RoleName="Worker",
        PolicyName="AWSRevokeOlderSessions",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Action": ["*"],
                        "Resource": ["*"],
                        "Condition": {"DateLessThan": {"aws:TokenIssueTime": cutoff}},
                    }
                ],
            }
        ),
    )
    error = aws_error(session.client("iam").list_roles)
    assert error.code == "AccessDenied"
    assert error.message.endswith("with an explicit deny in an identity-based policy")


def test_the_session_key_id_names_its_account(account: Account) -> None:
    session = _role_session(account)
    other = make_user(account, "auditor", allow("sts:GetAccessKeyInfo"))
    answer = other.client("sts").get_access_key_info(AccessKeyId=session.key_id)
    assert answer["Account"] == account.id
