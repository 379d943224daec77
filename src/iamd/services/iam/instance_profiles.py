"""Instance profiles: CreateInstanceProfile, GetInstanceProfile, ListInstanceProfiles,
ListInstanceProfilesForRole, DeleteInstanceProfile, AddRoleToInstanceProfile,
RemoveRoleFromInstanceProfile and the instance profile tag operations ("Use instance profiles",
id_roles_use_switch-role-ec2_instance-profiles; "Tagging instance profiles",
id_tags_instance-profiles).

A profile holds at most one role (AWS's InstanceSessionsPerInstanceProfile quota of 1, which it
does not raise). Adding a role passes it to EC2, so AddRoleToInstanceProfile also asks the policy
engine for ``iam:PassRole`` on the role.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.domain import (
    ROLES_PER_INSTANCE_PROFILE,
    InstanceProfile,
    Role,
    Tag,
)
from iamd.errors import EntityAlreadyExists, NoSuchEntity
from iamd.services.context import Call
from iamd.services.iam.lifecycle import check_quota, refuse_delete_while
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, page_result, valid_marker
from iamd.services.iam.role_lookups import (
    INSTANCE_PROFILE_TAG_KIND,
    customer_role,
    on_instance_profile,
    on_role,
    require_instance_profile,
    require_role,
)
from iamd.services.iam.roles import role_out
from iamd.services.iam.tagging import (
    checked_tags,
    list_resource_tags,
    tag_resource,
    tags_out,
    untag_resource,
)
from iamd.services.iam.trust_principals import role_as_of_now
from iamd.services.registry import AuthzCheck, iam_operation
from iamd.storage import Page

__all__ = [
    "add_role_to_instance_profile",
    "create_instance_profile",
    "delete_instance_profile",
    "get_instance_profile",
    "instance_profile_out",
    "list_instance_profile_tags",
    "list_instance_profiles",
    "list_instance_profiles_for_role",
    "remove_role_from_instance_profile",
    "tag_instance_profile",
    "untag_instance_profile",
]

_TAGS = INSTANCE_PROFILE_TAG_KIND


def instance_profile_out(
    profile: InstanceProfile, role: Role | None, *, tags: Sequence[Tag] | None = None
) -> dict[str, object]:
    """The ``InstanceProfile`` shape: Roles always present (``[]`` when empty), Tags when the
    operation reports them and there are some. ``role`` as answered: its trust policy as of now
    (:func:`iamd.services.iam.trust_principals.role_as_of_now`)."""
    return {
        "path": profile.path,
        "instance_profile_name": profile.name,
        "instance_profile_id": profile.id,
        "arn": profile.arn,
        "create_date": profile.created_at,
        "roles": [role_out(role, view="embedded")] if role is not None else [],
        "tags": tags_out(tags or ()),
    }


def _page_out(call: Call, page: Page[InstanceProfile]) -> Mapping[str, object]:
    roles = call.uow.instance_profiles.roles([p.id for p in page.items])
    shown = {key: role_as_of_now(call.uow, role) for key, role in roles.items()}
    return page_result(
        page, "instance_profiles", lambda p: instance_profile_out(p, shown.get(p.id))
    )


@iam_operation(
    "CreateInstanceProfile",
    write=True,
    authz=on_instance_profile(path_param="path"),
    cache_neutral=True,
)
def create_instance_profile(
    call: Call,
    *,
    instance_profile_name: str,
    path: str = "/",
    tags: Sequence[Mapping[str, Any]] | None = None,
) -> Mapping[str, object]:
    uow = call.uow
    if uow.instance_profiles.get(call.account_id, instance_profile_name) is not None:
        # AWS's answer, quoted in ine-labs/AWSGoat#49.
        raise EntityAlreadyExists(f"Instance Profile {instance_profile_name} already exists.")
    limit = call.deps.quotas.instance_profiles_per_account
    check_quota(uow.instance_profiles.count(call.account_id), limit, "InstanceProfilesPerAccount")
    new_tags = checked_tags(call, (), tags)
    profile = InstanceProfile(
        account_id=call.account_id,
        id=call.deps.ids.unique_id("AIPA"),
        name=instance_profile_name,
        path=path,
        created_at=call.now,
    )
    uow.instance_profiles.add(profile)
    uow.tags.replace(call.account_id, _TAGS, profile.id, new_tags)
    return {"instance_profile": instance_profile_out(profile, None, tags=new_tags)}


@iam_operation("GetInstanceProfile", write=False, authz=on_instance_profile())
def get_instance_profile(call: Call, *, instance_profile_name: str) -> Mapping[str, object]:
    profile = require_instance_profile(call, instance_profile_name)
    role = call.uow.instance_profiles.roles([profile.id]).get(profile.id)
    shown = role_as_of_now(call.uow, role) if role is not None else None
    tags = call.uow.tags.get(_TAGS, profile.id)
    return {"instance_profile": instance_profile_out(profile, shown, tags=tags)}


@iam_operation("ListInstanceProfiles", write=False)
def list_instance_profiles(
    call: Call,
    *,
    path_prefix: str = "/",
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    """Like ListRoles, the list leaves out each profile's Tags."""
    with valid_marker():
        page = call.uow.instance_profiles.list(
            call.account_id, path_prefix=path_prefix, marker=marker, max_items=max_items
        )
    return _page_out(call, page)


@iam_operation("ListInstanceProfilesForRole", write=False, authz=on_role())
def list_instance_profiles_for_role(
    call: Call, *, role_name: str, marker: str | None = None, max_items: int = DEFAULT_MAX_ITEMS
) -> Mapping[str, object]:
    role = require_role(call, role_name)
    with valid_marker():
        page = call.uow.instance_profiles.for_role(
            call.account_id, role.id, marker=marker, max_items=max_items
        )
    return _page_out(call, page)


@iam_operation("DeleteInstanceProfile", write=True, authz=on_instance_profile())
def delete_instance_profile(call: Call, *, instance_profile_name: str) -> None:
    profile = require_instance_profile(call, instance_profile_name)
    uow = call.uow
    # AWS's answer, quoted in 99designs/iamy#47.
    refuse_delete_while(
        (bool(uow.instance_profiles.roles([profile.id])), "remove roles from instance profile")
    )
    uow.tags.delete_all(_TAGS, profile.id)
    uow.instance_profiles.delete(call.account_id, profile.id)
    return None


def _pass_role(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
    """AddRoleToInstanceProfile on the profile, and ``iam:PassRole`` on the role ("The caller
    of this operation must be granted the PassRole permission on the IAM role"), with the
    instance ARN the API Reference gives for ``iam:AssociatedResourceArn``."""
    checks = list(on_instance_profile()(call, params, action))
    for check in on_role()(call, params, "iam:PassRole"):
        context = {
            **check.context,
            "iam:passedtoservice": ("ec2.amazonaws.com",),
            "iam:associatedresourcearn": (f"arn:aws:ec2:*:{call.account_id}:instance/*",),
        }
        checks.append(AuthzCheck(check.action, check.resource, context))
    return checks


@iam_operation("AddRoleToInstanceProfile", write=True, authz=_pass_role)
def add_role_to_instance_profile(call: Call, *, instance_profile_name: str, role_name: str) -> None:
    """A profile that already holds a role — this one or another — is at its quota (AWS's
    message; adding the same role again is answered the same way)."""
    profile = require_instance_profile(call, instance_profile_name)
    role = customer_role(call, role_name)
    profiles = call.uow.instance_profiles
    check_quota(
        len(profiles.roles([profile.id])),
        ROLES_PER_INSTANCE_PROFILE,
        "InstanceSessionsPerInstanceProfile",
    )
    profiles.add_role(profile.id, role.id)
    return None


@iam_operation("RemoveRoleFromInstanceProfile", write=True, authz=on_instance_profile())
def remove_role_from_instance_profile(
    call: Call, *, instance_profile_name: str, role_name: str
) -> None:
    """A role that exists but is not in the profile is NoSuchEntity with the role's message
    (inferred: AWS's text for this case is not quoted anywhere we found)."""
    profile = require_instance_profile(call, instance_profile_name)
    role = customer_role(call, role_name)
    if not call.uow.instance_profiles.remove_role(profile.id, role.id):
        raise NoSuchEntity(f"The role with name {role.name} cannot be found.")
    return None


@iam_operation("TagInstanceProfile", write=True, authz=on_instance_profile())
def tag_instance_profile(
    call: Call, *, instance_profile_name: str, tags: Sequence[Mapping[str, Any]]
) -> None:
    profile = require_instance_profile(call, instance_profile_name)
    tag_resource(call, _TAGS, profile.id, tags)
    return None


@iam_operation("UntagInstanceProfile", write=True, authz=on_instance_profile())
def untag_instance_profile(
    call: Call, *, instance_profile_name: str, tag_keys: Sequence[str]
) -> None:
    profile = require_instance_profile(call, instance_profile_name)
    untag_resource(call, _TAGS, profile.id, tag_keys)
    return None


@iam_operation("ListInstanceProfileTags", write=False, authz=on_instance_profile())
def list_instance_profile_tags(
    call: Call,
    *,
    instance_profile_name: str,
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    profile = require_instance_profile(call, instance_profile_name)
    return list_resource_tags(call, _TAGS, profile.id, marker, max_items)
