"""Access keys ("Managing access keys for IAM users", id_credentials_access-keys)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

__all__ = ["AccessKey", "KeyStatus"]


class KeyStatus(enum.Enum):
    ACTIVE = "Active"
    INACTIVE = "Inactive"


@dataclass(frozen=True, slots=True)
class AccessKey:
    """A long-term access key. ``user_id`` is None for the root user's keys. The secret is kept
    encrypted (``secret_ciphertext``); only the credentials package can open it."""

    id: str
    account_id: str
    user_id: str | None
    user_name: str | None
    status: KeyStatus
    created_at: dt.datetime
    secret_ciphertext: bytes
    last_used_at: dt.datetime | None = None
    last_used_service: str | None = None
    last_used_region: str | None = None
