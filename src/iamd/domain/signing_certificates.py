"""X.509 signing certificates of IAM users and the root user (UploadSigningCertificate in the
IAM API Reference)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iamd.domain.access_keys import KeyStatus

__all__ = ["SigningCertificate"]


@dataclass(frozen=True, slots=True)
class SigningCertificate:
    """``user_id`` and ``user_name`` are None for a certificate of the root user."""

    id: str
    account_id: str
    user_id: str | None
    user_name: str | None
    body: str
    status: KeyStatus
    uploaded_at: dt.datetime
