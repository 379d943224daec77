"""IAM roles: CreateRole, GetRole, ListRoles, UpdateRole, UpdateRoleDescription,
UpdateAssumeRolePolicy, DeleteRole and the role tag operations (IAM API Reference; "Creating IAM
roles", id_roles_create; "Modifying a role", id_roles_manage_modify; "Deleting roles or instance
profiles", id_roles_manage_delete)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from iamd.domain import (
    DEFAULT_MAX_SESSION_DURATION,
    SERVICE_ROLE_PATH_PREFIX,
    PolicyOwnerKind,
    Role,
    Tag,
)
from iamd.errors import EntityAlreadyExists, InvalidInput
from iamd.services.context import Call
from iamd.services.iam.boundaries import boundary_out, checked_boundary
from iamd.services.iam.documents import encoded_document
from iamd.services.iam.lifecycle import check_quota, refuse_delete_while
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, page_result, valid_marker
from iamd.services.iam.role_lookups import (
    ROLE_TAG_KIND,
    customer_role,
    on_role,
    protected_role,
    require_role,
)
from iamd.services.iam.tagging import (
    checked_tags,
    list_resource_tags,
    tag_resource,
    tags_out,
    untag_resource,
)
from iamd.services.iam.trust_principals import checked_role_trust_policy, role_as_of_now
from iamd.services.registry import iam_operation

__all__ = [
    "create_role",
    "delete_role",
    "get_role",
    "list_role_tags",
    "list_roles",
    "role_last_used_out",
    "role_out",
    "tag_role",
    "untag_role",
    "update_assume_role_policy",
    "update_role",
    "update_role_description",
]


def role_out(
    role: Role, *, view: str = "get", tags: Sequence[Tag] | None = None
) -> dict[str, object]:
    """The ``Role`` shape as each operation answers it (the AWS CLI's examples and the
    ListRoles documentation):

    - ``create`` (CreateRole, CreateServiceLinkedRole): no MaxSessionDuration and no
      RoleLastUsed; Description, PermissionsBoundary and Tags when set;
    - ``get`` (GetRole, UpdateRoleDescription): everything, RoleLastUsed empty (``{}``) until
      the role is used;
    - ``list`` (ListRoles): without PermissionsBoundary, RoleLastUsed and Tags;
    - ``embedded`` (a role inside an instance profile): the identifying elements and the trust
      policy only.
    """
    out: dict[str, object] = {
        "path": role.path,
        "role_name": role.name,
        "role_id": role.id,
        "arn": role.arn,
        "create_date": role.created_at,
        "assume_role_policy_document": encoded_document(role.assume_role_policy),
    }
    if view == "embedded":
        return out
    out["description"] = role.description
    if view in ("get", "list"):
        out["max_session_duration"] = role.max_session_duration
        out["max_signin_session_duration"] = role.max_signin_session_duration
    if view == "list":
        return out
    out["permissions_boundary"] = boundary_out(role.permissions_boundary_arn)
    out["tags"] = tags_out(tags or ())
    if view == "get":
        out["role_last_used"] = role_last_used_out(role)
    return out


def role_last_used_out(role: Role) -> dict[str, object]:
    """The ``RoleLastUsed`` shape: empty (``{}``) until the role is used."""
    if role.last_used_at is None:
        return {}
    return {"last_used_date": role.last_used_at, "region": role.last_used_region}


@iam_operation("CreateRole", write=True, authz=on_role(path_param="path"), cache_neutral=True)
def create_role(
    call: Call,
    *,
    role_name: str,
    assume_role_policy_document: str,
    path: str = "/",
    description: str | None = None,
    max_session_duration: int = DEFAULT_MAX_SESSION_DURATION,
    max_signin_session_duration: int | None = None,
    permissions_boundary: str | None = None,
    tags: Sequence[Mapping[str, Any]] | None = None,
) -> Mapping[str, object]:
    if path.startswith(SERVICE_ROLE_PATH_PREFIX):
        # AWS's answer, quoted in tilfin/aws-iam-policy-tool#9.
        raise InvalidInput(
            "Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles"
        )
    uow = call.uow
    if uow.roles.get(call.account_id, role_name) is not None:
        raise EntityAlreadyExists(f"Role with name {role_name} already exists.")
    limit = call.deps.quotas.roles_per_account
    check_quota(uow.roles.count(call.account_id), limit, "RolesPerAccount")
    trust = checked_role_trust_policy(call, assume_role_policy_document)
    new_tags = checked_tags(call, (), tags)
    boundary = checked_boundary(call, permissions_boundary) if permissions_boundary else None
    role = Role(
        account_id=call.account_id,
        id=call.deps.ids.unique_id("AROA"),
        name=role_name,
        path=path,
        created_at=call.now,
        assume_role_policy=assume_role_policy_document,
        max_session_duration=max_session_duration,
        description=description,
        permissions_boundary_arn=boundary,
        max_signin_session_duration=max_signin_session_duration,
        trust_principal_ids=trust.principal_ids,
    )
    uow.roles.add(role)
    uow.tags.replace(call.account_id, ROLE_TAG_KIND, role.id, new_tags)
    return {"role": role_out(role, view="create", tags=new_tags)}


@iam_operation("GetRole", write=False, authz=on_role())
def get_role(call: Call, *, role_name: str) -> Mapping[str, object]:
    role = role_as_of_now(call.uow, require_role(call, role_name))
    return {"role": role_out(role, tags=call.uow.tags.get(ROLE_TAG_KIND, role.id))}


@iam_operation("ListRoles", write=False)
def list_roles(
    call: Call,
    *,
    path_prefix: str = "/",
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    with valid_marker():
        page = call.uow.roles.list(
            call.account_id, path_prefix=path_prefix, marker=marker, max_items=max_items
        )
    return page_result(page, "roles", lambda r: role_out(role_as_of_now(call.uow, r), view="list"))


@iam_operation("UpdateRole", write=True, authz=on_role())
def update_role(
    call: Call,
    *,
    role_name: str,
    description: str | None = None,
    max_session_duration: int | None = None,
    max_signin_session_duration: int | None = None,
    reset_max_signin_session_duration: bool | None = None,
) -> None:
    """A service-linked role's description may change ("To allow an IAM entity to edit the
    description of any service roles", using-service-linked-roles); its session durations may
    not (the API Reference says so of MaxSigninSessionDuration; iamd infers the same for
    MaxSessionDuration, which its service defines)."""
    role = require_role(call, role_name)
    if max_signin_session_duration is not None and reset_max_signin_session_duration:
        # Inferred wording: the API Reference forbids the pair without quoting the error.
        raise InvalidInput(
            "You cannot specify MaxSigninSessionDuration and set ResetMaxSigninSessionDuration "
            "to true in the same request."
        )
    changes_durations = (
        max_session_duration is not None
        or max_signin_session_duration is not None
        or bool(reset_max_signin_session_duration)
    )
    if role.is_service_linked and changes_durations:
        raise protected_role(role)
    signin = role.max_signin_session_duration
    if reset_max_signin_session_duration:
        signin = None
    elif max_signin_session_duration is not None:
        signin = max_signin_session_duration
    call.uow.roles.update(
        dataclasses.replace(
            role,
            description=description if description is not None else role.description,
            max_session_duration=max_session_duration or role.max_session_duration,
            max_signin_session_duration=signin,
        )
    )
    return None


@iam_operation("UpdateRoleDescription", write=True, authz=on_role())
def update_role_description(
    call: Call, *, role_name: str, description: str
) -> Mapping[str, object]:
    role = dataclasses.replace(require_role(call, role_name), description=description)
    call.uow.roles.update(role)
    shown = role_as_of_now(call.uow, role)
    return {"role": role_out(shown, tags=call.uow.tags.get(ROLE_TAG_KIND, role.id))}


@iam_operation("UpdateAssumeRolePolicy", write=True, authz=on_role())
def update_assume_role_policy(call: Call, *, role_name: str, policy_document: str) -> None:
    role = customer_role(call, role_name)
    trust = checked_role_trust_policy(call, policy_document)
    call.uow.roles.update(
        dataclasses.replace(
            role, assume_role_policy=policy_document, trust_principal_ids=trust.principal_ids
        )
    )
    return None


@iam_operation("DeleteRole", write=True, authz=on_role())
def delete_role(call: Call, *, role_name: str) -> None:
    """ "Deleting an IAM role (AWS API)": AWS refuses while the role is in an instance profile,
    has inline policies, or has managed policies attached, one kind at a time. The three
    messages are AWS's (quoted in 99designs/iamy#68, awslabs/aws-orbit-workbench#633,
    pulumi/pulumi-aws-native#416); the order is inferred from the steps of the API guide
    (instance profiles, then inline policies, then managed policies)."""
    role = customer_role(call, role_name)
    uow = call.uow
    refuse_delete_while(
        (uow.instance_profiles.count_for_role(role.id) > 0, "remove roles from instance profile"),
        (uow.inline_policies.count(PolicyOwnerKind.ROLE, role.id) > 0, "delete policies"),
        (uow.policies.count_attached(PolicyOwnerKind.ROLE, role.id) > 0, "detach all policies"),
    )
    uow.tags.delete_all(ROLE_TAG_KIND, role.id)
    uow.roles.delete(call.account_id, role.id)
    return None


@iam_operation("TagRole", write=True, authz=on_role())
def tag_role(call: Call, *, role_name: str, tags: Sequence[Mapping[str, Any]]) -> None:
    tag_resource(call, ROLE_TAG_KIND, require_role(call, role_name).id, tags)
    return None


@iam_operation("UntagRole", write=True, authz=on_role())
def untag_role(call: Call, *, role_name: str, tag_keys: Sequence[str]) -> None:
    untag_resource(call, ROLE_TAG_KIND, require_role(call, role_name).id, tag_keys)
    return None


@iam_operation("ListRoleTags", write=False, authz=on_role())
def list_role_tags(
    call: Call, *, role_name: str, marker: str | None = None, max_items: int = DEFAULT_MAX_ITEMS
) -> Mapping[str, object]:
    role = require_role(call, role_name)
    return list_resource_tags(call, ROLE_TAG_KIND, role.id, marker, max_items)
