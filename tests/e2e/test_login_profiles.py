"""Console passwords: Create/Get/Update/DeleteLoginProfile and ChangePassword, checked against
the account password policy (default or custom), with password reuse prevention; every refused
request leaves the profile as it was."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from iamd_testkit import Account, aws_error

GOOD = "Correct-Horse-9"
OTHER = "Battery-Staple-7"
THIRD = "Tr0ub4dor&Three"


def _user_client(account: Account, name: str, *, may_change: bool = True) -> Any:
    """An IAM user with a password and an access key, allowed (or not) to change its password."""
    iam = account.iam()
    iam.create_user(UserName=name)
    iam.create_login_profile(UserName=name, Password=GOOD)
    if may_change:
        document = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "iam:ChangePassword",
                    "Resource": f"arn:aws:iam::{account.id}:user/{name}",
                }
            ],
        }
        iam.put_user_policy(UserName=name, PolicyName="self", PolicyDocument=json.dumps(document))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return account.iam(key["AccessKeyId"], key["SecretAccessKey"])


def _password_is(user_iam: Any, password: str) -> bool:
    """Whether ``password`` is the user's current one: ChangePassword to itself and back."""
    try:
        user_iam.change_password(OldPassword=password, NewPassword=password)
    except Exception:  # any refusal means "not the current password"
        return False
    return True


def test_create_and_get(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    created = iam.create_login_profile(UserName="u", Password=GOOD, PasswordResetRequired=True)
    profile = created["LoginProfile"]
    assert profile["UserName"] == "u"
    assert profile["PasswordResetRequired"] is True
    assert profile["CreateDate"] >= before
    assert "MaxSigninSessionDuration" not in profile
    assert iam.get_login_profile(UserName="u")["LoginProfile"] == profile


def test_create_for_a_missing_user(account: Account) -> None:
    error = aws_error(account.iam().create_login_profile, UserName="nobody", Password=GOOD)
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == "The user with name nobody cannot be found."


def test_create_twice_is_refused_and_changes_nothing(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_login_profile(UserName="u", Password=GOOD, PasswordResetRequired=False)
    error = aws_error(
        iam.create_login_profile, UserName="u", Password=OTHER, PasswordResetRequired=True
    )
    assert (error.code, error.status) == ("EntityAlreadyExists", 409)
    assert error.message == "Login Profile for user u already exists."
    assert iam.get_login_profile(UserName="u")["LoginProfile"]["PasswordResetRequired"] is False


def test_create_checks_the_default_password_policy(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    error = aws_error(iam.create_login_profile, UserName="u", Password="Ab1!")
    assert (error.code, error.status) == ("PasswordPolicyViolation", 400)
    assert error.message == "Password should have a minimum length of 8"
    error = aws_error(iam.create_login_profile, UserName="u", Password="alllowercase")
    assert error.code == "PasswordPolicyViolation"
    assert error.message.startswith("Password should meet 2 more of the following requirements")
    assert aws_error(iam.get_login_profile, UserName="u").code == "NoSuchEntity"


def test_create_checks_the_custom_password_policy(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.update_account_password_policy(MinimumPasswordLength=6, RequireSymbols=True)
    error = aws_error(iam.create_login_profile, UserName="u", Password="NoSymbols123")
    assert error.code == "PasswordPolicyViolation"
    assert error.message == "Password should have at least one symbol"
    iam.create_login_profile(UserName="u", Password="abc!de")
    assert iam.get_login_profile(UserName="u")["LoginProfile"]["UserName"] == "u"


def test_get_without_a_profile(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    error = aws_error(iam.get_login_profile, UserName="u")
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == "Login Profile for User u cannot be found."


def test_root_must_name_a_user(account: Account) -> None:
    error = aws_error(account.iam().get_login_profile)
    assert (error.code, error.status) == ("ValidationError", 400)


def test_update_sets_the_reset_flag_and_the_password(account: Account) -> None:
    user_iam = _user_client(account, "u")
    iam = account.iam()
    iam.update_login_profile(UserName="u", PasswordResetRequired=True)
    assert iam.get_login_profile(UserName="u")["LoginProfile"]["PasswordResetRequired"] is True
    iam.update_login_profile(UserName="u", Password=OTHER)
    assert iam.get_login_profile(UserName="u")["LoginProfile"]["PasswordResetRequired"] is True
    assert not _password_is(user_iam, GOOD)
    assert _password_is(user_iam, OTHER)


def test_update_with_a_weak_password_changes_nothing(account: Account) -> None:
    user_iam = _user_client(account, "u")
    iam = account.iam()
    error = aws_error(
        iam.update_login_profile, UserName="u", Password="short", PasswordResetRequired=True
    )
    assert (error.code, error.status) == ("PasswordPolicyViolation", 400)
    assert iam.get_login_profile(UserName="u")["LoginProfile"]["PasswordResetRequired"] is False
    assert _password_is(user_iam, GOOD)


def test_update_without_a_profile(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    error = aws_error(iam.update_login_profile, UserName="u", Password=GOOD)
    assert error.code == "NoSuchEntity"
    assert error.message == "Login Profile for User u cannot be found."
    assert aws_error(iam.update_login_profile, UserName="nobody").code == "NoSuchEntity"


def test_max_signin_session_duration(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_login_profile(UserName="u", Password=GOOD, MaxSigninSessionDuration=7200)
    assert iam.get_login_profile(UserName="u")["LoginProfile"]["MaxSigninSessionDuration"] == 7200
    iam.update_login_profile(UserName="u", MaxSigninSessionDuration=3600)
    assert iam.get_login_profile(UserName="u")["LoginProfile"]["MaxSigninSessionDuration"] == 3600
    error = aws_error(
        iam.update_login_profile,
        UserName="u",
        MaxSigninSessionDuration=7200,
        ResetMaxSigninSessionDuration=True,
    )
    assert (error.code, error.status) == ("InvalidInput", 400)
    assert iam.get_login_profile(UserName="u")["LoginProfile"]["MaxSigninSessionDuration"] == 3600
    iam.update_login_profile(UserName="u", ResetMaxSigninSessionDuration=True)
    assert "MaxSigninSessionDuration" not in iam.get_login_profile(UserName="u")["LoginProfile"]


def test_delete(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_login_profile(UserName="u", Password=GOOD)
    iam.delete_login_profile(UserName="u")
    assert aws_error(iam.get_login_profile, UserName="u").code == "NoSuchEntity"
    error = aws_error(iam.delete_login_profile, UserName="u")
    assert (error.code, error.message) == (
        "NoSuchEntity",
        "Login Profile for User u cannot be found.",
    )
    iam.create_login_profile(UserName="u", Password=OTHER)


def test_delete_user_waits_for_the_login_profile(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_login_profile(UserName="u", Password=GOOD)
    iam.create_access_key(UserName="u")
    error = aws_error(iam.delete_user, UserName="u")
    assert (error.code, error.status) == ("DeleteConflict", 409)
    assert error.message == "Cannot delete entity, must delete login profile first."
    assert iam.get_login_profile(UserName="u")["LoginProfile"]["UserName"] == "u"
    iam.delete_login_profile(UserName="u")
    error = aws_error(iam.delete_user, UserName="u")
    assert error.message == "Cannot delete entity, must delete access keys first."


def test_a_renamed_user_keeps_its_profile(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="before")
    iam.create_login_profile(UserName="before", Password=GOOD)
    iam.update_user(UserName="before", NewUserName="after")
    assert iam.get_login_profile(UserName="after")["LoginProfile"]["UserName"] == "after"


# -- ChangePassword -----------------------------------------------------------------------------


def test_change_password(account: Account) -> None:
    user_iam = _user_client(account, "u")
    account.iam().update_login_profile(UserName="u", PasswordResetRequired=True)
    user_iam.change_password(OldPassword=GOOD, NewPassword=OTHER)
    assert not _password_is(user_iam, GOOD)
    assert _password_is(user_iam, OTHER)
    profile = account.iam().get_login_profile(UserName="u")["LoginProfile"]
    assert profile["PasswordResetRequired"] is False


def test_change_password_with_a_wrong_old_password_changes_nothing(account: Account) -> None:
    user_iam = _user_client(account, "u")
    error = aws_error(user_iam.change_password, OldPassword="Wrong-Pass-1", NewPassword=OTHER)
    assert (error.code, error.status) == ("AccessDenied", 403)
    assert _password_is(user_iam, GOOD)
    assert not _password_is(user_iam, OTHER)


def test_change_password_checks_the_policy(account: Account) -> None:
    user_iam = _user_client(account, "u")
    account.iam().update_account_password_policy(MinimumPasswordLength=20)
    error = aws_error(user_iam.change_password, OldPassword=GOOD, NewPassword=OTHER)
    assert (error.code, error.status) == ("PasswordPolicyViolation", 400)
    assert error.message == "Password should have a minimum length of 20"
    account.iam().delete_account_password_policy()
    assert _password_is(user_iam, GOOD)


def test_password_reuse_prevention(account: Account) -> None:
    user_iam = _user_client(account, "u")
    account.iam().update_account_password_policy(PasswordReusePrevention=2)
    user_iam.change_password(OldPassword=GOOD, NewPassword=OTHER)
    error = aws_error(user_iam.change_password, OldPassword=OTHER, NewPassword=GOOD)
    assert (error.code, error.status) == ("PasswordPolicyViolation", 400)
    error = aws_error(user_iam.change_password, OldPassword=OTHER, NewPassword=OTHER)
    assert error.code == "PasswordPolicyViolation"
    user_iam.change_password(OldPassword=OTHER, NewPassword=THIRD)
    # GOOD is now the third password back: two are remembered.
    user_iam.change_password(OldPassword=THIRD, NewPassword=GOOD)
    assert not _password_is(user_iam, THIRD)


def test_reuse_is_allowed_without_prevention(account: Account) -> None:
    user_iam = _user_client(account, "u")
    user_iam.change_password(OldPassword=GOOD, NewPassword=OTHER)
    user_iam.change_password(OldPassword=OTHER, NewPassword=GOOD)
    assert _password_is(user_iam, GOOD)


def test_root_cannot_change_password(account: Account) -> None:
    error = aws_error(account.iam().change_password, OldPassword=GOOD, NewPassword=OTHER)
    assert (error.code, error.status) == ("InvalidUserType", 400)


def test_change_password_without_a_profile(account: Account) -> None:
    user_iam = _user_client(account, "u")
    account.iam().delete_login_profile(UserName="u")
    error = aws_error(user_iam.change_password, OldPassword=GOOD, NewPassword=OTHER)
    assert (error.code, error.message) == (
        "NoSuchEntity",
        "Login Profile for User u cannot be found.",
    )


def test_change_password_needs_permission(account: Account) -> None:
    user_iam = _user_client(account, "u", may_change=False)
    error = aws_error(user_iam.change_password, OldPassword=GOOD, NewPassword=OTHER)
    assert (error.code, error.status) == ("AccessDenied", 403)
    assert "iam:ChangePassword" in error.message


def test_allow_users_to_change_password_grants_it(account: Account) -> None:
    user_iam = _user_client(account, "u", may_change=False)
    account.iam().update_account_password_policy(AllowUsersToChangePassword=True)
    user_iam.change_password(OldPassword=GOOD, NewPassword=OTHER)
    assert user_iam.get_account_password_policy()["PasswordPolicy"]["AllowUsersToChangePassword"]
    assert aws_error(user_iam.list_users).code == "AccessDenied"  # nothing more than that
    account.iam().update_account_password_policy(AllowUsersToChangePassword=False)
    error = aws_error(user_iam.change_password, OldPassword=OTHER, NewPassword=GOOD)
    assert error.code == "AccessDenied"
