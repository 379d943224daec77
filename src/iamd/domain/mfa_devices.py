"""Virtual MFA devices ("Assigning a virtual MFA device", id_credentials_mfa_enable_virtual;
CreateVirtualMFADevice in the IAM API Reference).

A virtual device is created unassigned, then enabled for one IAM user or for the root user; its
serial number is its ARN, ``arn:aws:iam::ACCOUNT:mfa/PATH/NAME``. The TOTP seed is kept
encrypted; ``last_used_step`` is the last RFC 6238 time step accepted, so no code is accepted
twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["VirtualMfaDevice", "mfa_serial_number"]


def mfa_serial_number(account_id: str, path: str, name: str) -> str:
    """The serial number (ARN) of a virtual MFA device: ``mfa/NAME`` at path ``/``."""
    return f"arn:aws:iam::{account_id}:mfa{path}{name}"


@dataclass(frozen=True, slots=True)
class VirtualMfaDevice:
    serial_number: str
    account_id: str
    name: str
    path: str
    seed_ciphertext: bytes
    created_at: dt.datetime
    user_id: str | None = None
    """The IAM user the device is enabled for (None: unassigned, or the root user's)."""
    root_assigned: bool = False
    enabled_at: dt.datetime | None = None
    last_used_step: int | None = None

    @property
    def assigned(self) -> bool:
        return self.enabled_at is not None

    def enabled_for(self, user_id: str | None) -> bool:
        """True when enabled for the user ``user_id``, or for the root user when None."""
        if not self.assigned:
            return False
        if user_id is None:
            return self.root_assigned
        return self.user_id == user_id
