"""Accounts: a 12-digit id with a root user ("AWS account root user" in the IAM User Guide)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["Account", "is_account_id", "root_arn"]

_ACCOUNT_ID = re.compile(r"[0-9]{12}")


def is_account_id(text: str) -> bool:
    return _ACCOUNT_ID.fullmatch(text) is not None


def root_arn(account_id: str) -> str:
    return f"arn:aws:iam::{account_id}:root"


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    name: str
    created_at: dt.datetime

    @property
    def root_arn(self) -> str:
        return root_arn(self.id)
