"""The account password policy: UpdateAccountPasswordPolicy, GetAccountPasswordPolicy,
DeleteAccountPasswordPolicy ("Setting an account password policy for IAM users",
id_credentials_passwords_account-policy).

Without a custom policy the default password policy applies to new passwords (see
:func:`iamd.credentials.check_password_policy`), and GetAccountPasswordPolicy answers NoSuchEntity.
"""

from __future__ import annotations

from collections.abc import Mapping

from iamd.credentials import PasswordPolicy
from iamd.errors import NoSuchEntity
from iamd.services.context import Call
from iamd.services.registry import iam_operation

__all__ = [
    "delete_account_password_policy",
    "get_account_password_policy",
    "password_policy_out",
    "update_account_password_policy",
    "users_may_change_password",
]


def users_may_change_password(call: Call) -> bool:
    """The policy's AllowUsersToChangePassword: when true, every IAM user of the account may
    call iam:ChangePassword on its own user and iam:GetAccountPasswordPolicy, without any
    identity-based policy ("This option does not attach a permissions policy to each user.
    Rather, IAM applies the permissions at the account-level for all users")."""
    policy = call.uow.password_policies.get(call.account_id)
    return policy is not None and policy.allow_users_to_change_password


def password_policy_out(policy: PasswordPolicy) -> dict[str, object]:
    """The ``PasswordPolicy`` shape. MaxPasswordAge and PasswordReusePrevention appear only when
    set, HardExpiry only when true: AWS leaves all three out of a policy made with defaults
    (confirmed by LocalStack's AWS-recorded snapshot of GetAccountPasswordPolicy after an
    UpdateAccountPasswordPolicy without parameters)."""
    return {
        "minimum_password_length": policy.minimum_password_length,
        "require_symbols": policy.require_symbols,
        "require_numbers": policy.require_numbers,
        "require_uppercase_characters": policy.require_uppercase_characters,
        "require_lowercase_characters": policy.require_lowercase_characters,
        "allow_users_to_change_password": policy.allow_users_to_change_password,
        "expire_passwords": policy.expire_passwords,
        "max_password_age": policy.max_password_age,
        "password_reuse_prevention": policy.password_reuse_prevention,
        "hard_expiry": True if policy.hard_expiry else None,
    }


@iam_operation("GetAccountPasswordPolicy", write=False)
def get_account_password_policy(call: Call) -> Mapping[str, object]:
    policy = call.uow.password_policies.get(call.account_id)
    if policy is None:
        # AWS's text, with the account id as the "domain name" (AWS-recorded snapshot).
        raise NoSuchEntity(
            f"The Password Policy with domain name {call.account_id} cannot be found."
        )
    return {"password_policy": password_policy_out(policy)}


@iam_operation("UpdateAccountPasswordPolicy", write=True)
def update_account_password_policy(
    call: Call,
    *,
    minimum_password_length: int = 6,
    require_symbols: bool = False,
    require_numbers: bool = False,
    require_uppercase_characters: bool = False,
    require_lowercase_characters: bool = False,
    allow_users_to_change_password: bool = False,
    max_password_age: int | None = None,
    password_reuse_prevention: int | None = None,
    hard_expiry: bool = False,
) -> None:
    """No partial updates: every parameter left out takes its default (minimum length 6, no
    character type required, users may not change their password, no expiry, reuse allowed).
    The model's ranges (6-128, 1-1095, 1-24) are checked before the handler runs."""
    policy = PasswordPolicy(
        minimum_password_length=minimum_password_length,
        require_symbols=require_symbols,
        require_numbers=require_numbers,
        require_uppercase_characters=require_uppercase_characters,
        require_lowercase_characters=require_lowercase_characters,
        allow_users_to_change_password=allow_users_to_change_password,
        max_password_age=max_password_age,
        password_reuse_prevention=password_reuse_prevention,
        hard_expiry=hard_expiry,
    )
    call.uow.password_policies.put(call.account_id, policy)
    return None


@iam_operation("DeleteAccountPasswordPolicy", write=True)
def delete_account_password_policy(call: Call) -> None:
    if not call.uow.password_policies.delete(call.account_id):
        # AWS's text for an account without a custom policy (AWS-recorded snapshot).
        raise NoSuchEntity("The account policy with name PasswordPolicy cannot be found.")
    return None
