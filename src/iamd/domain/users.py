"""IAM users ("IAM users", id_users)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["User", "user_arn"]


def user_arn(account_id: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:user{path}{name}"


@dataclass(frozen=True, slots=True)
class User:
    account_id: str
    id: str
    name: str
    path: str
    created_at: dt.datetime
    permissions_boundary_arn: str | None = None
    password_last_used: dt.datetime | None = None

    @property
    def arn(self) -> str:
        return user_arn(self.account_id, self.path, self.name)
