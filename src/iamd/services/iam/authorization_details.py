"""GetAccountAuthorizationDetails: every user, group, role and managed policy of the account with
their relationships and policy documents (IAM API Reference; "Get a snapshot of IAM",
reference in the AWS CLI's get-account-authorization-details).

- ``Filter`` picks the entity types (all when absent).
- AWS managed policies are listed when they are attached to an identity of the account (the
  snapshot describes the account, not AWS's catalogue of more than a thousand policies).
- Policy documents are URL-encoded, as in every IAM response (the SDKs decode them).
- One page costs one page of each entity type it reaches: the marker holds the entity type and
  that type's own keyset marker, so the account's size does not matter.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from iamd.domain import Group, ManagedPolicy, PolicyOwnerKind, Role, User
from iamd.services.context import Call
from iamd.services.iam.attachments import attached_policy_out
from iamd.services.iam.boundaries import boundary_out
from iamd.services.iam.documents import encoded_document
from iamd.services.iam.groups import group_out
from iamd.services.iam.instance_profiles import instance_profile_out
from iamd.services.iam.lookups import USER_TAG_KIND
from iamd.services.iam.managed_policies import policy_out, policy_version_out
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, valid_marker
from iamd.services.iam.role_lookups import INSTANCE_PROFILE_TAG_KIND, ROLE_TAG_KIND
from iamd.services.iam.roles import role_last_used_out, role_out
from iamd.services.iam.tagging import tags_out
from iamd.services.iam.trust_principals import role_as_of_now
from iamd.services.registry import iam_operation
from iamd.storage import InvalidMarker, Page, PolicyScope

__all__ = ["get_account_authorization_details"]

_STAGES = ("User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy")
_LIST_KEYS = {
    "User": "user_detail_list",
    "Group": "group_detail_list",
    "Role": "role_detail_list",
    "LocalManagedPolicy": "policies",
    "AWSManagedPolicy": "policies",
}
_MAX_PROFILES_PER_ROLE = 1000


def _encode_marker(stage: int, inner: str | None) -> str:
    raw = json.dumps([stage, inner], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_marker(marker: str) -> tuple[int, str | None]:
    try:
        value = json.loads(base64.urlsafe_b64decode(marker + "=" * (-len(marker) % 4)))
    except (binascii.Error, ValueError, UnicodeError):
        raise InvalidMarker(marker) from None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not 0 <= value[0] < len(_STAGES)
        or not (value[1] is None or isinstance(value[1], str))
    ):
        raise InvalidMarker(marker)
    return value[0], value[1]


def _inline(call: Call, kind: PolicyOwnerKind, owner_id: str) -> list[dict[str, object]]:
    return [
        {"policy_name": p.name, "policy_document": encoded_document(p.document)}
        for p in call.uow.inline_policies.all(kind, owner_id)
    ]


def _attached(call: Call, kind: PolicyOwnerKind, owner_id: str) -> list[dict[str, object]]:
    return [attached_policy_out(a) for a in call.uow.policies.all_attached(kind, owner_id)]


def _user(call: Call, user: User) -> dict[str, object]:
    groups = call.uow.groups.all_groups_for_user(call.account_id, user.id)
    return {
        "path": user.path,
        "user_name": user.name,
        "user_id": user.id,
        "arn": user.arn,
        "create_date": user.created_at,
        "user_policy_list": _inline(call, PolicyOwnerKind.USER, user.id),
        "group_list": [g.name for g in groups],
        "attached_managed_policies": _attached(call, PolicyOwnerKind.USER, user.id),
        "permissions_boundary": boundary_out(user.permissions_boundary_arn),
        "tags": tags_out(call.uow.tags.get(USER_TAG_KIND, user.id)),
    }


def _group(call: Call, group: Group) -> dict[str, object]:
    return {
        **group_out(group),
        "group_policy_list": _inline(call, PolicyOwnerKind.GROUP, group.id),
        "attached_managed_policies": _attached(call, PolicyOwnerKind.GROUP, group.id),
    }


def _role(call: Call, role: Role) -> dict[str, object]:
    uow = call.uow
    role = role_as_of_now(uow, role)
    profiles = uow.instance_profiles.for_role(
        call.account_id, role.id, marker=None, max_items=_MAX_PROFILES_PER_ROLE
    ).items
    return {
        **role_out(role, view="embedded"),
        "instance_profile_list": [
            instance_profile_out(p, role, tags=uow.tags.get(INSTANCE_PROFILE_TAG_KIND, p.id))
            for p in profiles
        ],
        "role_policy_list": _inline(call, PolicyOwnerKind.ROLE, role.id),
        "attached_managed_policies": _attached(call, PolicyOwnerKind.ROLE, role.id),
        "permissions_boundary": boundary_out(role.permissions_boundary_arn),
        "tags": tags_out(uow.tags.get(ROLE_TAG_KIND, role.id)),
        "role_last_used": role_last_used_out(role),
    }


def _policy(call: Call, policy: ManagedPolicy) -> dict[str, object]:
    return {
        **policy_out(policy, full=False),
        "description": policy.description,
        "policy_version_list": [
            policy_version_out(v, with_document=True)
            for v in call.uow.policies.versions(policy.arn)
        ],
    }


def _page(call: Call, stage: str, marker: str | None, max_items: int) -> tuple[Page[Any], Any]:
    """One keyset page of the entities of ``stage`` and the function that details each."""
    uow = call.uow
    account = call.account_id
    if stage == "User":
        users = uow.users.list(account, path_prefix="/", marker=marker, max_items=max_items)
        return users, _user
    if stage == "Group":
        groups = uow.groups.list(account, path_prefix="/", marker=marker, max_items=max_items)
        return groups, _group
    if stage == "Role":
        roles = uow.roles.list(account, path_prefix="/", marker=marker, max_items=max_items)
        return roles, _role
    scope = PolicyScope.LOCAL if stage == "LocalManagedPolicy" else PolicyScope.AWS
    policies = uow.policies.list(
        account,
        scope=scope,
        only_attached=scope == PolicyScope.AWS,
        path_prefix="/",
        usage=None,
        marker=marker,
        max_items=max_items,
    )
    return policies, _policy


@iam_operation("GetAccountAuthorizationDetails", write=False)
def get_account_authorization_details(
    call: Call,
    *,
    filter: Sequence[str] | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
    marker: str | None = None,
) -> Mapping[str, object]:
    wanted = [i for i, stage in enumerate(_STAGES) if not filter or stage in filter]
    out: dict[str, Any] = {key: [] for key in dict.fromkeys(_LIST_KEYS.values())}
    start, inner = (wanted[0] if wanted else len(_STAGES)), None
    with valid_marker():
        if marker is not None:
            start, inner = _decode_marker(marker)
        remaining = max_items
        next_marker: str | None = None
        for index in (i for i in wanted if i >= start):
            stage = _STAGES[index]
            if remaining == 0:
                probe, _ = _page(call, stage, None, 1)
                if probe.items:
                    next_marker = _encode_marker(index, None)
                    break
                continue
            page, detail = _page(call, stage, inner if index == start else None, remaining)
            convert: Callable[[Call, Any], dict[str, object]] = detail
            out[_LIST_KEYS[stage]].extend(convert(call, item) for item in page.items)
            remaining -= len(page.items)
            if page.next_marker is not None:
                next_marker = _encode_marker(index, page.next_marker)
                break
    out["is_truncated"] = next_marker is not None
    if next_marker is not None:
        out["marker"] = next_marker
    return out
