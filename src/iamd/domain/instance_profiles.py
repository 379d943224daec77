"""Instance profiles: the container that passes one role to an Amazon EC2 instance ("Use
instance profiles", id_roles_use_switch-role-ec2_instance-profiles). A profile holds at most one
role, a quota AWS does not raise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["ROLES_PER_INSTANCE_PROFILE", "InstanceProfile", "instance_profile_arn"]

ROLES_PER_INSTANCE_PROFILE = 1


def instance_profile_arn(account_id: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:instance-profile{path}{name}"


@dataclass(frozen=True, slots=True)
class InstanceProfile:
    account_id: str
    id: str
    name: str
    path: str
    created_at: dt.datetime

    @property
    def arn(self) -> str:
        return instance_profile_arn(self.account_id, self.path, self.name)
