"""Reading virtual MFA devices and their tags: ListMFADevices, ListVirtualMFADevices,
GetMFADevice, TagMFADevice, UntagMFADevice, ListMFADeviceTags (IAM API Reference;
"Tagging IAM resources", id_tags).

Devices of the root user: MFADevice's UserName and the User element name no IAM user, so iamd
shows the account id as UserName and the root user's ARN and account id as the User (inferred:
AWS documents neither).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.domain import User, VirtualMfaDevice
from iamd.services.context import Call
from iamd.services.iam.lookups import on_user, target_user
from iamd.services.iam.mfa_devices import (
    TAG_KIND,
    enabled_device,
    on_mfa_device,
    require_device,
)
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, page_result, valid_marker
from iamd.services.iam.tagging import list_resource_tags, tag_resource, untag_resource
from iamd.services.iam.users import user_out
from iamd.services.registry import iam_operation
from iamd.storage import MfaAssignment

__all__ = [
    "get_mfa_device",
    "list_mfa_device_tags",
    "list_mfa_devices",
    "list_virtual_mfa_devices",
    "tag_mfa_device",
    "untag_mfa_device",
]


def _mfa_device_out(call: Call, device: VirtualMfaDevice, user: User | None) -> dict[str, object]:
    return {
        "user_name": user.name if user is not None else call.account_id,
        "serial_number": device.serial_number,
        "enable_date": device.enabled_at,
    }


@iam_operation("ListMFADevices", write=False, authz=on_user())
def list_mfa_devices(
    call: Call,
    *,
    user_name: str | None = None,
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    """The devices enabled for a user, or for the caller: the calling IAM user, or the root
    user when it names none."""
    user = target_user(call, user_name)
    with valid_marker():
        page = call.uow.mfa_devices.page_enabled_for(
            call.account_id, user.id if user else None, marker=marker, max_items=max_items
        )
    return page_result(page, "mfa_devices", lambda d: _mfa_device_out(call, d, user))


def _assigned_user(call: Call, entry: MfaAssignment) -> dict[str, object] | None:
    device, user = entry.device, entry.user
    if user is not None:
        return user_out(user, full=False)
    if device.root_assigned:
        account = call.uow.accounts.get(call.account_id)
        return {
            "user_id": call.account_id,
            "arn": f"arn:aws:iam::{call.account_id}:root",
            "create_date": account.created_at if account else device.created_at,
        }
    return None


@iam_operation("ListVirtualMFADevices", write=False)
def list_virtual_mfa_devices(
    call: Call,
    *,
    assignment_status: str = "Any",
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    """Without AssignmentStatus every device is listed (AWS-recorded snapshot: an unassigned
    device appears in a plain ListVirtualMFADevices). Seeds, QR codes and tags are never
    listed."""
    with valid_marker():
        page = call.uow.mfa_devices.list(
            call.account_id, assignment=assignment_status, marker=marker, max_items=max_items
        )
    return page_result(
        page,
        "virtual_mfa_devices",
        lambda e: {
            "serial_number": e.device.serial_number,
            "user": _assigned_user(call, e),
            "enable_date": e.device.enabled_at,
        },
    )


@iam_operation("GetMFADevice", write=False, authz=on_user())
def get_mfa_device(
    call: Call, *, serial_number: str, user_name: str | None = None
) -> Mapping[str, object]:
    """AWS answers this for FIDO security keys, which iamd does not have; iamd answers it for
    the virtual MFA devices it does have, enabled for the user (or the caller), without
    Certifications."""
    user = target_user(call, user_name)
    return _mfa_device_out(call, enabled_device(call, user, serial_number), user)


@iam_operation("TagMFADevice", write=True, authz=on_mfa_device())
def tag_mfa_device(call: Call, *, serial_number: str, tags: Sequence[Mapping[str, Any]]) -> None:
    require_device(call, serial_number)
    tag_resource(call, TAG_KIND, serial_number, tags)
    return None


@iam_operation("UntagMFADevice", write=True, authz=on_mfa_device())
def untag_mfa_device(call: Call, *, serial_number: str, tag_keys: Sequence[str]) -> None:
    require_device(call, serial_number)
    untag_resource(call, TAG_KIND, serial_number, tag_keys)
    return None


@iam_operation("ListMFADeviceTags", write=False, authz=on_mfa_device())
def list_mfa_device_tags(
    call: Call,
    *,
    serial_number: str,
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    require_device(call, serial_number)
    return list_resource_tags(call, TAG_KIND, serial_number, marker, max_items)
