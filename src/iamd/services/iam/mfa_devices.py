"""Virtual MFA devices: CreateVirtualMFADevice, EnableMFADevice, ResyncMFADevice,
DeactivateMFADevice, DeleteVirtualMFADevice ("Assigning a virtual MFA device",
id_credentials_mfa_enable_virtual; "Resynchronizing virtual and hardware MFA devices",
id_credentials_mfa_sync; "Deactivating MFA devices", id_credentials_mfa_disable), and the code
check STS uses (:func:`verify_mfa_code`).

A device is RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from a 40-byte seed, shown once as
Base32StringSeed and as a QR code of ``otpauth://totp/NAME@ACCOUNT?secret=...`` and kept
encrypted under the master key. Enabling and resynchronising take two consecutive codes; every
accepted code moves the device's last used time step forward, and a step at or before it is
never accepted again (RFC 6238 section 5.2).

AWS's texts, from AWS-recorded snapshots in LocalStack's IAM tests: "MFA device already exists.",
"MFA Device is already in use.", "MFA Device with serial number X does not exist.";
"Authentication code for device is not valid." is AWS's InvalidAuthenticationCode text. Others
are marked as iamd's where they are raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from iamd.credentials import (
    base32,
    new_seed,
    otpauth_uri,
    qr_png,
    verify_code,
    verify_two_consecutive,
    virtual_mfa_label,
)
from iamd.domain import PrincipalType, User, VirtualMfaDevice, mfa_serial_number
from iamd.errors import EntityAlreadyExists, InvalidAuthenticationCode, NoSuchEntity
from iamd.services.context import Call, SecretBox
from iamd.services.iam.lifecycle import check_quota, refuse_delete_while
from iamd.services.iam.lookups import on_user, target_user
from iamd.services.iam.tagging import checked_tags, tags_out
from iamd.services.registry import AuthzCheck, ResourceResolver, iam_operation
from iamd.storage import UnitOfWork

__all__ = [
    "TAG_KIND",
    "check_mfa_code",
    "create_virtual_mfa_device",
    "deactivate_mfa_device",
    "delete_virtual_mfa_device",
    "enable_mfa_device",
    "enabled_device",
    "on_mfa_device",
    "require_device",
    "resync_mfa_device",
    "seed_context",
    "verify_mfa_code",
]

TAG_KIND = "mfa"

_BAD_CODE = "Authentication code for device is not valid."


def seed_context(serial_number: str) -> bytes:
    """Associated data binding an encrypted seed to its device."""
    return f"iamd/mfa-seed/{serial_number}".encode()


def require_device(call: Call, serial_number: str) -> VirtualMfaDevice:
    device = call.uow.mfa_devices.get(call.account_id, serial_number)
    if device is None:
        raise NoSuchEntity(f"MFA Device with serial number {serial_number} does not exist.")
    return device


def _seed(secrets: SecretBox, device: VirtualMfaDevice) -> bytes:
    return secrets.decrypt(device.seed_ciphertext, context=seed_context(device.serial_number))


def on_mfa_device(param: str = "serial_number") -> ResourceResolver:
    """The device named by ``param``, by its ARN (its serial number), with its tags as
    ``aws:ResourceTag/*``."""

    def resolve(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
        serial_number = str(params[param])
        context: dict[str, tuple[str, ...]] = {}
        if call.uow.mfa_devices.get(call.account_id, serial_number) is not None:
            for tag in call.uow.tags.get(TAG_KIND, serial_number):
                context[f"aws:resourcetag/{tag.key.lower()}"] = (tag.value,)
        return (AuthzCheck(action, serial_number, context),)

    return resolve


def _on_new_device(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
    serial_number = mfa_serial_number(
        call.account_id, params.get("path") or "/", params["virtual_mfa_device_name"]
    )
    return (AuthzCheck(action, serial_number),)


@iam_operation("CreateVirtualMFADevice", write=True, authz=_on_new_device)
def create_virtual_mfa_device(
    call: Call,
    *,
    virtual_mfa_device_name: str,
    path: str = "/",
    tags: Sequence[Mapping[str, Any]] | None = None,
) -> Mapping[str, object]:
    uow = call.uow
    if uow.mfa_devices.name_taken(call.account_id, virtual_mfa_device_name):
        raise EntityAlreadyExists("MFA device already exists.")
    # "Virtual MFA devices (assigned or unassigned) in an AWS account: equal to the user quota
    # for the account" (reference_iam-quotas); the quota's name in the message is iamd's.
    limit = call.deps.quotas.users_per_account
    check_quota(uow.mfa_devices.count(call.account_id), limit, "VirtualMFADevicesPerAccount")
    new_tags = checked_tags(call, (), tags)
    serial_number = mfa_serial_number(call.account_id, path, virtual_mfa_device_name)
    seed = new_seed()
    device = VirtualMfaDevice(
        serial_number=serial_number,
        account_id=call.account_id,
        name=virtual_mfa_device_name,
        path=path,
        seed_ciphertext=call.deps.secrets.encrypt(seed, context=seed_context(serial_number)),
        created_at=call.now,
    )
    uow.mfa_devices.add(device)
    uow.tags.replace(call.account_id, TAG_KIND, serial_number, new_tags)
    # QRCodePNG: "AccountName is the user name if set (otherwise, the account ID otherwise)".
    caller = call.caller
    account_name = caller.name if caller.type is PrincipalType.USER and caller.name else None
    label = virtual_mfa_label(virtual_mfa_device_name, account_name or call.account_id)
    return {
        "virtual_mfa_device": {
            "serial_number": serial_number,
            "base32_string_seed": base32(seed).encode("ascii"),
            "qr_code_png": qr_png(otpauth_uri(seed, label)),
            "tags": tags_out(new_tags),
        }
    }


def _identity(call: Call, user_name: str | None) -> User | None:
    """The user a request names; None for the root user acting on its own devices.

    EnableMFADevice and ResyncMFADevice require UserName on the wire, so only iamd's own callers
    (the console) reach them without one, for the root user.
    """
    return target_user(call, user_name)


def _two_codes(call: Call, device: VirtualMfaDevice, code1: str, code2: str) -> int | None:
    """The time step of the second of two consecutive valid codes (Enable and Resync), None when
    they are not."""
    return verify_two_consecutive(
        _seed(call.deps.secrets, device),
        code1,
        code2,
        call.now,
        last_used_step=device.last_used_step,
    )


def enabled_device(call: Call, user: User | None, serial_number: str) -> VirtualMfaDevice:
    device = require_device(call, serial_number)
    if not device.enabled_for(user.id if user is not None else None):
        raise NoSuchEntity(f"MFA Device with serial number {serial_number} does not exist.")
    return device


@iam_operation("EnableMFADevice", write=True, authz=on_user())
def enable_mfa_device(
    call: Call,
    *,
    serial_number: str,
    authentication_code1: str,
    authentication_code2: str,
    user_name: str | None = None,
) -> None:
    user = _identity(call, user_name)
    device = require_device(call, serial_number)
    if device.assigned:
        raise EntityAlreadyExists("MFA Device is already in use.")
    owner_id = user.id if user is not None else None
    # "MFA devices in use by an IAM user: 8" (reference_iam-quotas); the name is iamd's.
    limit = call.deps.quotas.mfa_devices_per_user
    check_quota(
        len(call.uow.mfa_devices.enabled_for(call.account_id, owner_id)), limit, "MFADevicesPerUser"
    )
    step = _two_codes(call, device, authentication_code1, authentication_code2)
    if step is None:
        raise InvalidAuthenticationCode(_BAD_CODE)
    call.uow.mfa_devices.enable(serial_number, owner_id, call.now, step)
    return None


@iam_operation("ResyncMFADevice", write=True, authz=on_user())
def resync_mfa_device(
    call: Call,
    *,
    serial_number: str,
    authentication_code1: str,
    authentication_code2: str,
    user_name: str | None = None,
) -> None:
    """iamd keeps no drift offset: codes are checked against a window around the server's
    clock, so a successful resync moves the device's last used step to the pair's and nothing
    else."""
    user = _identity(call, user_name)
    device = enabled_device(call, user, serial_number)
    step = _two_codes(call, device, authentication_code1, authentication_code2)
    if step is None or not call.uow.mfa_devices.use_step(serial_number, step):
        raise InvalidAuthenticationCode(_BAD_CODE)
    return None


@iam_operation("DeactivateMFADevice", write=True, authz=on_user())
def deactivate_mfa_device(call: Call, *, serial_number: str, user_name: str | None = None) -> None:
    user = _identity(call, user_name)
    enabled_device(call, user, serial_number)
    call.uow.mfa_devices.disable(serial_number)
    return None


@iam_operation("DeleteVirtualMFADevice", write=True, authz=on_mfa_device())
def delete_virtual_mfa_device(call: Call, *, serial_number: str) -> None:
    device = require_device(call, serial_number)
    # "You must deactivate a user's virtual MFA device before you can delete it" (API
    # reference); the text is iamd's, in the pattern of DeleteUser's conflicts.
    refuse_delete_while((device.assigned, "deactivate MFA device"))
    call.uow.tags.delete_all(TAG_KIND, serial_number)
    call.uow.mfa_devices.delete(serial_number)
    return None


# -- for STS: codes given with a request ---------------------------------------------------------


def check_mfa_code(
    uow: UnitOfWork,
    secrets: SecretBox,
    *,
    account_id: str,
    user_id: str | None,
    serial_number: str,
    code: str,
    now: dt.datetime,
) -> bool:
    """True when ``code`` is valid now for the virtual MFA device ``serial_number`` enabled for
    the IAM user ``user_id`` (the root user when None) of ``account_id``; the code's time step is
    then recorded, so the same code, or an older one, is never accepted again.

    Needs a write unit of work: an accepted code is a write.
    """
    device = uow.mfa_devices.get(account_id, serial_number)
    if device is None or not device.enabled_for(user_id):
        return False
    step = verify_code(_seed(secrets, device), code, now, device.last_used_step)
    return step is not None and uow.mfa_devices.use_step(serial_number, step)


def verify_mfa_code(
    call: Call, account_id: str, serial_number: str, code: str, now: dt.datetime
) -> bool:
    """:func:`check_mfa_code` for the caller of ``call``: an IAM user's own device, or the root
    user's; any other caller (a role session, a federated user) has no MFA device."""
    caller = call.caller
    if caller.account_id != account_id:
        return False
    if caller.type is PrincipalType.ROOT:
        user_id = None
    elif caller.type is PrincipalType.USER and caller.entity_id is not None:
        user_id = caller.entity_id
    else:
        return False
    return check_mfa_code(
        call.uow,
        call.deps.secrets,
        account_id=account_id,
        user_id=user_id,
        serial_number=serial_number,
        code=code,
        now=now,
    )
