"""IAM user groups ("IAM user groups", id_groups)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["Group", "group_arn"]


def group_arn(account_id: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:group{path}{name}"


@dataclass(frozen=True, slots=True)
class Group:
    account_id: str
    id: str
    name: str
    path: str
    created_at: dt.datetime

    @property
    def arn(self) -> str:
        return group_arn(self.account_id, self.path, self.name)
