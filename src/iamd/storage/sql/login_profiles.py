"""Login profiles, the password history and the account password policy in SQL.

MaxSigninSessionDuration has no column of its own (the schema predates it): it is kept in the
account's ``account_settings`` under ``login-profile/<user id>/max-signin-session-duration``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection, Row

from iamd.credentials import PasswordPolicy
from iamd.domain import PASSWORD_HISTORY_DEPTH, LoginProfile
from iamd.storage.sql import schema as t
from iamd.storage.sql.driver import DriverQuery

__all__ = ["SqlLoginProfiles", "SqlPasswordPolicies"]

_lp = t.login_profiles.c
_h = t.password_history.c
_s = t.account_settings.c
_pp = t.password_policies.c
_POLICY_COLUMNS = (
    _pp.minimum_password_length,
    _pp.require_symbols,
    _pp.require_numbers,
    _pp.require_uppercase_characters,
    _pp.require_lowercase_characters,
    _pp.allow_users_to_change_password,
    _pp.max_password_age,
    _pp.password_reuse_prevention,
    _pp.hard_expiry,
)
_POLICY = DriverQuery(  # read whenever the policy engine loads a user's policies
    select(*_POLICY_COLUMNS).where(_pp.account_id == bindparam("b_account"))
)


def _duration_key(user_id: str) -> str:
    return f"login-profile/{user_id}/max-signin-session-duration"


class SqlLoginProfiles:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: str, user_id: str) -> LoginProfile | None:
        row = self._conn.execute(
            select(t.login_profiles, t.users.c.name.label("user_name"))
            .join(t.users, t.users.c.id == _lp.user_id)
            .where(_lp.account_id == account_id, _lp.user_id == user_id)
        ).first()
        if row is None:
            return None
        duration = self._conn.execute(
            select(_s.value).where(_s.account_id == account_id, _s.key == _duration_key(user_id))
        ).scalar()
        return _profile(row, int(duration) if duration is not None else None)

    def add(self, profile: LoginProfile) -> None:
        self._conn.execute(
            insert(t.login_profiles).values(
                user_id=profile.user_id,
                account_id=profile.account_id,
                password_hash=profile.password_hash,
                created_at=profile.created_at,
                password_changed_at=profile.password_changed_at,
                password_reset_required=profile.password_reset_required,
            )
        )
        self._set_duration(profile.account_id, profile.user_id, profile.max_signin_session_duration)

    def update(self, profile: LoginProfile) -> None:
        self._conn.execute(
            update(t.login_profiles)
            .where(_lp.user_id == profile.user_id)
            .values(
                password_hash=profile.password_hash,
                password_changed_at=profile.password_changed_at,
                password_reset_required=profile.password_reset_required,
            )
        )
        self._set_duration(profile.account_id, profile.user_id, profile.max_signin_session_duration)

    def delete(self, account_id: str, user_id: str) -> None:
        self._conn.execute(
            delete(t.login_profiles).where(_lp.account_id == account_id, _lp.user_id == user_id)
        )
        self._set_duration(account_id, user_id, None)

    def previous_hashes(self, user_id: str, count: int) -> Sequence[str]:
        rows = self._conn.execute(
            select(_h.password_hash)
            .where(_h.user_id == user_id)
            .order_by(_h.set_at.desc())
            .limit(count)
        ).all()
        return [str(r.password_hash) for r in rows]

    def remember(self, user_id: str, at: dt.datetime, password_hash: str) -> None:
        self._conn.execute(delete(t.password_history).where(_h.user_id == user_id, _h.set_at == at))
        self._conn.execute(
            insert(t.password_history).values(
                user_id=user_id, set_at=at, password_hash=password_hash
            )
        )
        oldest_kept = self._conn.execute(
            select(_h.set_at)
            .where(_h.user_id == user_id)
            .order_by(_h.set_at.desc())
            .offset(PASSWORD_HISTORY_DEPTH - 1)
            .limit(1)
        ).scalar()
        if oldest_kept is not None:
            self._conn.execute(
                delete(t.password_history).where(_h.user_id == user_id, _h.set_at < oldest_kept)
            )

    def _set_duration(self, account_id: str, user_id: str, seconds: int | None) -> None:
        key = _duration_key(user_id)
        self._conn.execute(
            delete(t.account_settings).where(_s.account_id == account_id, _s.key == key)
        )
        if seconds is not None:
            self._conn.execute(
                insert(t.account_settings).values(
                    account_id=account_id, key=key, value=str(seconds)
                )
            )


def _profile(row: Row[Any], duration: int | None) -> LoginProfile:
    return LoginProfile(
        account_id=row.account_id,
        user_id=row.user_id,
        user_name=row.user_name,
        password_hash=row.password_hash,
        created_at=row.created_at,
        password_changed_at=row.password_changed_at,
        password_reset_required=bool(row.password_reset_required),
        max_signin_session_duration=duration,
    )


class SqlPasswordPolicies:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, account_id: str) -> PasswordPolicy | None:
        row = _POLICY.first(self._conn, {"b_account": account_id})
        if row is None:
            return None
        (length, symbols, numbers, upper, lower, change, age, reuse, expiry) = row
        return PasswordPolicy(
            minimum_password_length=length,
            require_symbols=bool(symbols),
            require_numbers=bool(numbers),
            require_uppercase_characters=bool(upper),
            require_lowercase_characters=bool(lower),
            allow_users_to_change_password=bool(change),
            max_password_age=age,
            password_reuse_prevention=reuse,
            hard_expiry=bool(expiry),
        )

    def put(self, account_id: str, policy: PasswordPolicy) -> None:
        self.delete(account_id)
        self._conn.execute(
            insert(t.password_policies).values(
                account_id=account_id,
                minimum_password_length=policy.minimum_password_length,
                require_symbols=policy.require_symbols,
                require_numbers=policy.require_numbers,
                require_uppercase_characters=policy.require_uppercase_characters,
                require_lowercase_characters=policy.require_lowercase_characters,
                allow_users_to_change_password=policy.allow_users_to_change_password,
                max_password_age=policy.max_password_age,
                password_reuse_prevention=policy.password_reuse_prevention,
                hard_expiry=policy.hard_expiry,
            )
        )

    def delete(self, account_id: str) -> bool:
        result = self._conn.execute(delete(t.password_policies).where(_pp.account_id == account_id))
        return result.rowcount > 0
