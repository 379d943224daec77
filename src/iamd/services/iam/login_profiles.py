"""Console passwords: CreateLoginProfile, GetLoginProfile, UpdateLoginProfile,
DeleteLoginProfile and ChangePassword ("Managing passwords for IAM users",
id_credentials_passwords_admin-change-user; "How an IAM user changes their own password",
id_credentials_passwords_user-change-own).

Passwords are kept as argon2id hashes only, and every password set is remembered (hash only)
for the account policy's PasswordReusePrevention. The console sign-in that would use them and
set the user's PasswordLastUsed does not exist yet.

Messages: "Login Profile for User X cannot be found." and "Login Profile for user X already
exists." are AWS's (AWS-recorded snapshots in LocalStack's IAM tests); the others are marked
where they are iamd's own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from iamd.credentials import (
    check_password_policy,
    hash_password,
    password_was_used,
    verify_password,
    violation_message,
)
from iamd.domain import LoginProfile, PrincipalType, User
from iamd.errors import (
    AccessDenied,
    EntityAlreadyExists,
    InvalidInput,
    InvalidUserType,
    NoSuchEntity,
    PasswordPolicyViolation,
    ValidationError,
)
from iamd.services.context import Call
from iamd.services.iam.lookups import on_user, require_user, target_user
from iamd.services.registry import iam_operation

__all__ = [
    "change_password",
    "create_login_profile",
    "delete_login_profile",
    "get_login_profile",
    "login_profile_out",
    "update_login_profile",
]


def _named_user(call: Call, user_name: str | None) -> User:
    """The user a request names, or the calling IAM user. The root user has no login profile
    these operations manage (AWS takes an AssumeRoot session for that, which iamd does not
    issue), so the root user must name one; iamd answers as AWS does for callers without a
    user of their own."""
    user = target_user(call, user_name)
    if user is None:
        raise ValidationError("Must specify userName when calling with non-User credentials")
    return user


def _require_profile(call: Call, user: User) -> LoginProfile:
    profile = call.uow.login_profiles.get(call.account_id, user.id)
    if profile is None:
        raise NoSuchEntity(f"Login Profile for User {user.name} cannot be found.")
    return profile


def _check_policy(call: Call, password: str, user: User) -> None:
    violations = check_password_policy(
        password, call.uow.password_policies.get(call.account_id), user.name
    )
    if violations:
        raise PasswordPolicyViolation(violation_message(violations))


def _remember(call: Call, user: User, password_hash: str) -> None:
    call.uow.login_profiles.remember(user.id, call.now, password_hash)


def login_profile_out(profile: LoginProfile) -> dict[str, object]:
    return {
        "user_name": profile.user_name,
        "create_date": profile.created_at,
        "password_reset_required": profile.password_reset_required,
        "max_signin_session_duration": profile.max_signin_session_duration,
    }


@iam_operation("CreateLoginProfile", write=True, authz=on_user())
def create_login_profile(
    call: Call,
    *,
    user_name: str | None = None,
    password: str | None = None,
    password_reset_required: bool = False,
    max_signin_session_duration: int | None = None,
) -> Mapping[str, object]:
    user = _named_user(call, user_name)
    if password is None:
        # The model leaves Password optional only for AssumeRoot sessions; for everyone else AWS
        # requires it, in its usual words for a missing member.
        raise ValidationError(
            "1 validation error detected: Value null at 'password' failed to satisfy "
            "constraint: Member must not be null"
        )
    if call.uow.login_profiles.get(call.account_id, user.id) is not None:
        raise EntityAlreadyExists(f"Login Profile for user {user.name} already exists.")
    _check_policy(call, password, user)
    password_hash = hash_password(password)
    profile = LoginProfile(
        account_id=call.account_id,
        user_id=user.id,
        user_name=user.name,
        password_hash=password_hash,
        created_at=call.now,
        password_changed_at=call.now,
        password_reset_required=password_reset_required,
        max_signin_session_duration=max_signin_session_duration,
    )
    call.uow.login_profiles.add(profile)
    _remember(call, user, password_hash)
    return {"login_profile": login_profile_out(profile)}


@iam_operation("GetLoginProfile", write=False, authz=on_user())
def get_login_profile(call: Call, *, user_name: str | None = None) -> Mapping[str, object]:
    user = _named_user(call, user_name)
    return {"login_profile": login_profile_out(_require_profile(call, user))}


@iam_operation("UpdateLoginProfile", write=True, authz=on_user())
def update_login_profile(
    call: Call,
    *,
    user_name: str,
    password: str | None = None,
    password_reset_required: bool | None = None,
    max_signin_session_duration: int | None = None,
    reset_max_signin_session_duration: bool | None = None,
) -> None:
    user = require_user(call, user_name)
    profile = _require_profile(call, user)
    if max_signin_session_duration is not None and reset_max_signin_session_duration:
        # The API reference forbids the pair; the message is iamd's.
        raise InvalidInput(
            "MaxSigninSessionDuration cannot be specified when ResetMaxSigninSessionDuration "
            "is true."
        )
    password_hash = profile.password_hash
    changed_at = profile.password_changed_at
    if password is not None:
        _check_policy(call, password, user)
        password_hash = hash_password(password)
        changed_at = call.now
        _remember(call, user, password_hash)
    duration = profile.max_signin_session_duration
    if reset_max_signin_session_duration:
        duration = None
    elif max_signin_session_duration is not None:
        duration = max_signin_session_duration
    call.uow.login_profiles.update(
        dataclasses.replace(
            profile,
            user_name=user.name,
            password_hash=password_hash,
            password_changed_at=changed_at,
            password_reset_required=(
                profile.password_reset_required
                if password_reset_required is None
                else password_reset_required
            ),
            max_signin_session_duration=duration,
        )
    )
    return None


@iam_operation("DeleteLoginProfile", write=True, authz=on_user())
def delete_login_profile(call: Call, *, user_name: str | None = None) -> None:
    user = _named_user(call, user_name)
    _require_profile(call, user)
    call.uow.login_profiles.delete(call.account_id, user.id)
    return None


@iam_operation("ChangePassword", write=True, authz=on_user())
def change_password(call: Call, *, old_password: str, new_password: str) -> None:
    """The calling IAM user changes its own password. Whether it may is the policy engine's
    decision (an identity policy allowing iam:ChangePassword on the user, or the account
    password policy's AllowUsersToChangePassword, see
    :func:`iamd.services.iam.password_policy.users_may_change_password`); HardExpiry does not
    stop it ("IAM users with iam:ChangePassword permission and active access keys can reset
    their own IAM user console password programmatically")."""
    caller = call.caller
    if caller.type is not PrincipalType.USER or caller.entity_id is None:
        # AWS answers InvalidUserType to the root user (AWS CLI reference, change-password:
        # "If this command is called using AWS account (root) credentials, the command returns
        # an InvalidUserType error"); the message is iamd's.
        raise InvalidUserType("Only IAM users can change their own password.")
    user = call.uow.users.get_by_id(call.account_id, caller.entity_id)
    if user is None:
        raise NoSuchEntity(f"The user with name {caller.name} cannot be found.")
    profile = _require_profile(call, user)
    if not verify_password(profile.password_hash, old_password):
        # Neither the code nor the text is documented; iamd refuses as for any failed check of
        # a credential, without saying more.
        raise AccessDenied("The old password is incorrect.")
    _check_policy(call, new_password, user)
    policy = call.uow.password_policies.get(call.account_id)
    if policy is not None and policy.password_reuse_prevention is not None:
        recent = call.uow.login_profiles.previous_hashes(user.id, policy.password_reuse_prevention)
        if password_was_used(new_password, recent):
            # iamd's sentence, in the pattern of AWS's PasswordPolicyViolation messages.
            raise PasswordPolicyViolation(
                "Password should not be one of your last "
                f"{policy.password_reuse_prevention} passwords"
            )
    password_hash = hash_password(new_password)
    call.uow.login_profiles.update(
        dataclasses.replace(
            profile,
            user_name=user.name,
            password_hash=password_hash,
            password_changed_at=call.now,
            password_reset_required=False,
        )
    )
    _remember(call, user, password_hash)
    return None
