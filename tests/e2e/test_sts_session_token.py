"""GetSessionToken over HTTP: durations for users and the root user, MFA codes (accepted once,
wrong ones refused with AWS's messages) and MFA-protected access end to end."""

from __future__ import annotations

import datetime as dt

from iamd_testkit import Account, aws_error
from sts.helpers import allow, enable_mfa, make_role, make_user, session_of, trust

MFA_ONLY = allow("iam:ListUsers", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})


def _lifetime(answer: dict[str, object]) -> dt.timedelta:
    credentials = answer["Credentials"]
    assert isinstance(credentials, dict)
    expiration = credentials["Expiration"]
    assert isinstance(expiration, dt.datetime)
    return expiration - dt.datetime.now(dt.UTC)


def test_a_users_session_lasts_twelve_hours_by_default(account: Account) -> None:
    user = make_user(account, "u")
    answer = user.client("sts").get_session_token()
    assert dt.timedelta(hours=11, minutes=59) < _lifetime(answer) <= dt.timedelta(hours=12)
    assert answer["Credentials"]["AccessKeyId"].startswith("ASIA")


def test_a_users_session_may_last_thirty_six_hours(account: Account) -> None:
    user = make_user(account, "u")
    answer = user.client("sts").get_session_token(DurationSeconds=129_600)
    assert dt.timedelta(hours=35, minutes=59) < _lifetime(answer) <= dt.timedelta(hours=36)
    error = aws_error(user.client("sts").get_session_token, DurationSeconds=129_601)
    assert error.code == "ValidationError"


def test_the_root_users_session_is_capped_at_one_hour(account: Account) -> None:
    answer = account.sts().get_session_token(DurationSeconds=7200)
    assert dt.timedelta(minutes=59) < _lifetime(answer) <= dt.timedelta(hours=1)


def test_the_session_keeps_the_callers_identity(account: Account) -> None:
    user = make_user(account, "u")
    session = session_of(account, user.client("sts").get_session_token())
    identity = session.client("sts").get_caller_identity()
    assert identity["Arn"] == user.arn
    assert identity["UserId"] == account.iam().get_user(UserName="u")["User"]["UserId"]


def test_session_credentials_cannot_get_a_session_token(account: Account) -> None:
    user = make_user(account, "u")
    session = session_of(account, user.client("sts").get_session_token())
    error = aws_error(session.client("sts").get_session_token)
    assert (error.code, error.message) == (
        "AccessDenied",
        "Cannot call GetSessionToken with session credentials",
    )


def test_without_mfa_the_session_cannot_call_iam(account: Account) -> None:
    user = make_user(account, "u", allow("iam:*"))
    session = session_of(account, user.client("sts").get_session_token())
    error = aws_error(session.client("iam").list_users)
    assert (error.code, error.status) == ("InvalidClientTokenId", 403)


def test_an_mfa_code_unlocks_an_mfa_protected_policy(account: Account) -> None:
    user = make_user(account, "u", MFA_ONLY)
    device = enable_mfa(account, "u")
    assert aws_error(user.client("iam").list_users).code == "AccessDenied"
    answer = user.client("sts").get_session_token(
        SerialNumber=device.serial, TokenCode=device.code()
    )
    users = session_of(account, answer).client("iam").list_users()["Users"]
    assert [u["UserName"] for u in users] == ["u"]


def test_without_a_code_the_mfa_protected_policy_stays_locked(account: Account) -> None:
    user = make_user(account, "u", MFA_ONLY, allow("sts:GetCallerIdentity"))
    enable_mfa(account, "u")
    session = session_of(account, user.client("sts").get_session_token())
    assert aws_error(session.client("iam").list_users).code == "InvalidClientTokenId"


def test_a_code_is_accepted_once(account: Account) -> None:
    user = make_user(account, "u")
    device = enable_mfa(account, "u")
    code = device.code()
    sts = user.client("sts")
    assert sts.get_session_token(SerialNumber=device.serial, TokenCode=code)
    error = aws_error(sts.get_session_token, SerialNumber=device.serial, TokenCode=code)
    assert (error.code, error.status, error.message) == (
        "AccessDenied",
        403,
        "MultiFactorAuthentication failed with invalid MFA one time pass code.",
    )


def test_a_wrong_code_is_refused(account: Account) -> None:
    user = make_user(account, "u")
    device = enable_mfa(account, "u")
    wrong = f"{(int(device.code()) + 1) % 1_000_000:06d}"
    error = aws_error(
        user.client("sts").get_session_token, SerialNumber=device.serial, TokenCode=wrong
    )
    assert (error.code, error.message) == (
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code.",
    )


def test_a_device_of_someone_else_is_refused(account: Account) -> None:
    make_user(account, "owner")
    device = enable_mfa(account, "owner")
    other = make_user(account, "other")
    error = aws_error(
        other.client("sts").get_session_token, SerialNumber=device.serial, TokenCode=device.code()
    )
    assert (error.code, error.message) == (
        "AccessDenied",
        "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA "
        "serial number is valid and associated with this user.",
    )


def test_the_mfa_session_carries_its_age(account: Account) -> None:
    young = allow("iam:ListUsers", Condition={"NumericLessThan": {"aws:MultiFactorAuthAge": "300"}})
    user = make_user(account, "u", young)
    device = enable_mfa(account, "u")
    answer = user.client("sts").get_session_token(
        SerialNumber=device.serial, TokenCode=device.code()
    )
    assert session_of(account, answer).client("iam").list_users()["Users"]


def test_assume_role_with_mfa_satisfies_a_trust_policy_that_requires_it(account: Account) -> None:
    user = make_user(account, "u", allow("sts:AssumeRole"))
    device = enable_mfa(account, "u")
    role_arn = make_role(
        account,
        "Admin",
        trust(
            {"AWS": account.id},
            Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}},
        ),
    )
    sts = user.client("sts")
    assert aws_error(sts.assume_role, RoleArn=role_arn, RoleSessionName="u1").code == "AccessDenied"
    answer = sts.assume_role(
        RoleArn=role_arn, RoleSessionName="u1", SerialNumber=device.serial, TokenCode=device.code()
    )
    assert answer["AssumedRoleUser"]["Arn"].endswith(":assumed-role/Admin/u1")


def test_an_mfa_session_passes_mfa_on_to_the_role_it_assumes(account: Account) -> None:
    user = make_user(account, "u", allow("sts:AssumeRole"))
    device = enable_mfa(account, "u")
    role_arn = make_role(
        account,
        "Admin",
        trust({"AWS": account.id}, Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
        allow("iam:ListUsers", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
    )
    session = session_of(
        account,
        user.client("sts").get_session_token(SerialNumber=device.serial, TokenCode=device.code()),
    )
    role = session_of(
        account, session.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="u1")
    )
    assert role.client("iam").list_users()["Users"]
