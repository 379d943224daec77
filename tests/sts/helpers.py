"""Small builders the STS tests share: users with keys and policies, roles with trust and
permissions, and clients signed with a session's credentials."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from iamd_testkit import Account

ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def document(*statements: Mapping[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: str | Sequence[str], resource: str = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def trust(
    principal: Mapping[str, Any], action: str | Sequence[str] = "sts:AssumeRole", **extra: Any
) -> str:
    return document({"Effect": "Allow", "Principal": principal, "Action": action, **extra})


@dataclass(frozen=True)
class User:
    account: Account
    name: str
    arn: str
    key_id: str
    secret: str

    def client(self, service: str) -> Any:
        return self.account.client(service, self.key_id, self.secret)


def make_user(account: Account, name: str, *statements: Mapping[str, Any]) -> User:
    iam = account.iam()
    arn = iam.create_user(UserName=name)["User"]["Arn"]
    if statements:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=document(*statements))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return User(account, name, arn, key["AccessKeyId"], key["SecretAccessKey"])


def make_role(
    account: Account,
    name: str,
    trust_policy: str,
    *statements: Mapping[str, Any],
    **create: Any,
) -> str:
    iam = account.iam()
    arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust_policy, **create)[
        "Role"
    ]["Arn"]
    if statements:
        iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=document(*statements))
    return arn


@dataclass(frozen=True)
class Session:
    account: Account
    key_id: str
    secret: str
    token: str
    raw: Mapping[str, Any]

    def client(self, service: str) -> Any:
        return self.account.client(service, self.key_id, self.secret, self.token)


def session_of(account: Account, answer: Mapping[str, Any]) -> Session:
    c = answer["Credentials"]
    return Session(account, c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"], answer)


@dataclass(frozen=True)
class MfaDevice:
    serial: str
    seed: bytes

    def code(self, offset_seconds: int = 0) -> str:
        import datetime as dt

        from iamd.credentials import code_at

        return code_at(self.seed, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=offset_seconds))


def enable_mfa(account: Account, user_name: str | None, device_name: str = "phone") -> MfaDevice:
    """A virtual MFA device enabled for the user (the root user when None) with two codes from
    the past, so that the code of the current time step is still unused."""
    import base64

    iam = account.iam()
    created = iam.create_virtual_mfa_device(VirtualMFADeviceName=device_name)["VirtualMFADevice"]
    device = MfaDevice(created["SerialNumber"], base64.b32decode(created["Base32StringSeed"]))
    if user_name is None:
        raise ValueError("enable the root user's device through the root user's own request")
    iam.enable_mfa_device(
        UserName=user_name,
        SerialNumber=device.serial,
        AuthenticationCode1=device.code(-90),
        AuthenticationCode2=device.code(-60),
    )
    return device
