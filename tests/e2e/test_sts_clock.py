"""Expiry and revocation of sessions with the server's clock moved (the test clock), never by
sleeping."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from iamd_testkit import Account, AccountMaker, Server, aws_error, running_server
from sts.clock import ServerClock, clock_env, server_clock
from sts.helpers import allow, enable_mfa, make_role, make_user, session_of, trust

EXPIRED = ("ExpiredToken", "The security token included in the request is expired", 403)


@pytest.fixture(scope="module")
def clocked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    tmp = tmp_path_factory.mktemp("clocked")
    path = tmp / "clock-offset"
    with running_server(tmp, extra_env=clock_env(path)) as server:
        yield server, path


@pytest.fixture(scope="module")
def clocked_accounts(clocked: tuple[Server, Path]) -> Iterator[AccountMaker]:
    maker = AccountMaker(clocked[0])
    yield maker
    maker.close()


@pytest.fixture
def clock(clocked: tuple[Server, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerClock]:
    with server_clock(clocked[1], monkeypatch) as moving:
        yield moving


@pytest.fixture
def acct(clocked_accounts: AccountMaker, clock: ServerClock) -> Account:
    return clocked_accounts()


def _seen(error: object) -> tuple[str, str, int]:
    return (error.code, error.message, error.status)  # type: ignore[attr-defined]


def test_the_server_starts_on_the_test_clock_and_says_so(clocked: tuple[Server, Path]) -> None:
    assert "test clock in use" in clocked[0].log()


def test_a_role_session_expires_at_its_expiration(acct: Account, clock: ServerClock) -> None:
    user = make_user(acct, "u", allow("sts:AssumeRole"))
    role_arn = make_role(acct, "R", trust({"AWS": acct.id}), allow("iam:ListRoles"))
    session = session_of(
        acct,
        user.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="e1", DurationSeconds=900),
    )
    clock.advance(890)
    assert session.client("iam").list_roles()["Roles"]
    clock.advance(20)
    assert _seen(aws_error(session.client("iam").list_roles)) == EXPIRED
    assert _seen(aws_error(session.client("sts").get_caller_identity)) == EXPIRED


def test_a_session_token_from_get_session_token_expires(acct: Account, clock: ServerClock) -> None:
    user = make_user(acct, "u")
    session = session_of(acct, user.client("sts").get_session_token(DurationSeconds=3600))
    clock.advance(3599)
    assert session.client("sts").get_caller_identity()
    clock.advance(2)
    assert _seen(aws_error(session.client("sts").get_caller_identity)) == EXPIRED


def test_the_user_guides_revocation_denies_only_older_sessions(
    acct: Account, clock: ServerClock
) -> None:
    user = make_user(acct, "u", allow("sts:AssumeRole"))
    role_arn = make_role(acct, "R", trust({"AWS": acct.id}), allow("iam:ListRoles"))
    sts = user.client("sts")
    old = session_of(acct, sts.assume_role(RoleArn=role_arn, RoleSessionName="o1"))
    clock.advance(600)
    cutoff = clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    acct.iam().put_role_policy(
        RoleName="R",
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
    clock.advance(5)
    new = session_of(acct, sts.assume_role(RoleArn=role_arn, RoleSessionName="n1"))
    error = aws_error(old.client("iam").list_roles)
    assert error.code == "AccessDenied"
    assert error.message.endswith("with an explicit deny in an identity-based policy")
    assert new.client("iam").list_roles()["Roles"]


def test_mfa_age_grows_with_the_clock(acct: Account, clock: ServerClock) -> None:
    user = make_user(
        acct,
        "u",
        allow("iam:ListUsers", Condition={"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}),
    )
    device = enable_mfa(acct, "u")
    session = session_of(
        acct,
        user.client("sts").get_session_token(SerialNumber=device.serial, TokenCode=device.code()),
    )
    assert session.client("iam").list_users()["Users"]
    clock.advance(3601)
    assert aws_error(session.client("iam").list_users).code == "AccessDenied"


def test_an_mfa_code_from_the_past_is_refused(acct: Account, clock: ServerClock) -> None:
    user = make_user(acct, "u")
    device = enable_mfa(acct, "u")
    code = device.code()
    clock.advance(120)
    error = aws_error(
        user.client("sts").get_session_token, SerialNumber=device.serial, TokenCode=code
    )
    assert error.message == "MultiFactorAuthentication failed with invalid MFA one time pass code."
