"""The account password policy: Update/Get/DeleteAccountPasswordPolicy, AWS's defaults for
omitted parameters, and refusals that change nothing."""

from __future__ import annotations

from iamd_testkit import Account, AccountMaker, aws_error


def test_no_policy_is_no_such_entity(account: Account) -> None:
    error = aws_error(account.iam().get_account_password_policy)
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == f"The Password Policy with domain name {account.id} cannot be found."


def test_update_without_parameters_sets_aws_defaults(account: Account) -> None:
    iam = account.iam()
    iam.update_account_password_policy()
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert policy == {
        "MinimumPasswordLength": 6,
        "RequireSymbols": False,
        "RequireNumbers": False,
        "RequireUppercaseCharacters": False,
        "RequireLowercaseCharacters": False,
        "AllowUsersToChangePassword": False,
        "ExpirePasswords": False,
    }


def test_update_with_every_parameter(account: Account) -> None:
    iam = account.iam()
    iam.update_account_password_policy(
        MinimumPasswordLength=10,
        RequireSymbols=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        AllowUsersToChangePassword=True,
        MaxPasswordAge=60,
        PasswordReusePrevention=3,
        HardExpiry=True,
    )
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert policy == {
        "MinimumPasswordLength": 10,
        "RequireSymbols": True,
        "RequireNumbers": True,
        "RequireUppercaseCharacters": True,
        "RequireLowercaseCharacters": True,
        "AllowUsersToChangePassword": True,
        "ExpirePasswords": True,
        "MaxPasswordAge": 60,
        "PasswordReusePrevention": 3,
        "HardExpiry": True,
    }


def test_update_is_not_partial(account: Account) -> None:
    iam = account.iam()
    iam.update_account_password_policy(RequireSymbols=True, MaxPasswordAge=30)
    iam.update_account_password_policy(MinimumPasswordLength=12)
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 12
    assert policy["RequireSymbols"] is False
    assert policy["ExpirePasswords"] is False
    assert "MaxPasswordAge" not in policy


def test_out_of_range_values_are_refused_and_change_nothing(account: Account) -> None:
    iam = account.iam()
    iam.update_account_password_policy(MinimumPasswordLength=9)
    for bad in (
        {"MinimumPasswordLength": 129},
        {"MinimumPasswordLength": 5},
        {"MaxPasswordAge": 1096},
        {"PasswordReusePrevention": 25},
    ):
        error = aws_error(iam.update_account_password_policy, **bad)
        assert (error.code, error.status) == ("ValidationError", 400), bad
    assert iam.get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"] == 9


def test_delete(account: Account) -> None:
    iam = account.iam()
    iam.update_account_password_policy(MinimumPasswordLength=14)
    iam.delete_account_password_policy()
    assert aws_error(iam.get_account_password_policy).code == "NoSuchEntity"


def test_delete_without_policy(account: Account) -> None:
    error = aws_error(account.iam().delete_account_password_policy)
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == "The account policy with name PasswordPolicy cannot be found."


def test_the_policy_belongs_to_one_account(account: Account, make_account: AccountMaker) -> None:
    other = make_account()
    account.iam().update_account_password_policy(MinimumPasswordLength=20)
    assert aws_error(other.iam().get_account_password_policy).code == "NoSuchEntity"
    other.iam().update_account_password_policy(MinimumPasswordLength=7)
    assert (
        account.iam().get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"] == 20
    )
