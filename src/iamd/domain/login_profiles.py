"""Console passwords of IAM users ("Managing passwords for IAM users", id_credentials_passwords;
CreateLoginProfile in the IAM API Reference). A user has at most one login profile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["PASSWORD_HISTORY_DEPTH", "LoginProfile"]

PASSWORD_HISTORY_DEPTH = 24
"""How many previous password hashes are kept per user: the largest PasswordReusePrevention."""


@dataclass(frozen=True, slots=True)
class LoginProfile:
    """A user's console password, as an argon2id hash (never the password itself).

    ``max_signin_session_duration`` is CreateLoginProfile's MaxSigninSessionDuration in seconds
    (3600 to 7776000), None when unset.
    """

    account_id: str
    user_id: str
    user_name: str
    password_hash: str
    created_at: dt.datetime
    password_changed_at: dt.datetime
    password_reset_required: bool
    max_signin_session_duration: int | None = None
