"""SSH public keys of IAM users, for CodeCommit ("Use SSH keys and SSH with CodeCommit",
id_credentials_ssh-keys; UploadSSHPublicKey in the IAM API Reference)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iamd.domain.access_keys import KeyStatus

__all__ = ["SshPublicKey"]


@dataclass(frozen=True, slots=True)
class SshPublicKey:
    """An uploaded key: ``body`` as uploaded (ssh-rsa or PEM), ``fingerprint`` the MD5 of the
    key as AWS shows it (``xx:xx:...``, 16 bytes)."""

    id: str
    account_id: str
    user_id: str
    user_name: str
    body: str
    fingerprint: str
    status: KeyStatus
    uploaded_at: dt.datetime
