"""Finding the roles and instance profiles a request names, with AWS's answers when they are
missing or protected, and the resources the policy engine is asked about for them. Trust
policies' principals: :mod:`iamd.services.iam.trust_principals`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.arn import Arn, ArnError
from iamd.domain import InstanceProfile, Role, instance_profile_arn, role_arn
from iamd.errors import NoSuchEntity, UnmodifiableEntity
from iamd.services.context import Call
from iamd.services.iam.lookups import resource_tag_context
from iamd.services.registry import AuthzCheck, ResourceResolver
from iamd.storage import UnitOfWork

__all__ = [
    "INSTANCE_PROFILE_TAG_KIND",
    "ROLE_TAG_KIND",
    "customer_role",
    "on_instance_profile",
    "on_role",
    "protected_role",
    "require_instance_profile",
    "require_role",
    "role_by_arn",
]

ROLE_TAG_KIND = "role"
INSTANCE_PROFILE_TAG_KIND = "instance-profile"


def require_role(call: Call, name: str) -> Role:
    role = call.uow.roles.get(call.account_id, name)
    if role is None:
        raise NoSuchEntity(f"The role with name {name} cannot be found.")
    return role


def customer_role(call: Call, name: str) -> Role:
    """The role named ``name``, refused when it is service-linked: its permissions and its
    existence belong to its service ("Using service-linked roles"). AWS's message, confirmed by
    its answers quoted in rebuy-de/aws-nuke#49 and #331 and gruntwork-io/cloud-nuke#880."""
    role = require_role(call, name)
    if role.is_service_linked:
        raise protected_role(role)
    return role


def protected_role(role: Role) -> UnmodifiableEntity:
    return UnmodifiableEntity(
        f"Cannot perform the operation on the protected role '{role.name}' - "
        "this role is only modifiable by AWS"
    )


def role_by_arn(uow: UnitOfWork, arn: str) -> Role | None:
    """The role an ARN names (``arn:aws:iam::<account>:role/<path><name>``), in whichever
    account of this server it is; None unless that role exists with exactly this ARN (the name
    part of a role ARN is case-sensitive, its path must match)."""
    try:
        parsed = Arn.parse(arn)
    except ArnError:
        return None
    if parsed.service != "iam" or not parsed.resource.startswith("role/"):
        return None
    role = uow.roles.get(parsed.account, parsed.resource.rsplit("/", 1)[-1])
    return role if role is not None and role.arn == arn else None


def require_instance_profile(call: Call, name: str) -> InstanceProfile:
    profile = call.uow.instance_profiles.get(call.account_id, name)
    if profile is None:
        raise NoSuchEntity(f"Instance Profile {name} cannot be found.")
    return profile


# -- resources for the policy engine ------------------------------------------------------------


def on_role(param: str = "role_name", *, path_param: str | None = None) -> ResourceResolver:
    """The role named by ``param`` by its ARN with its path, its tags as
    ``aws:ResourceTag/*``, and its permissions boundary as ``iam:PermissionsBoundary`` unless the
    request sets one."""

    def resolve(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
        name: str = params[param]
        role = call.uow.roles.get(call.account_id, name)
        if role is None:
            path = params.get(path_param) if path_param else None
            return (AuthzCheck(action, role_arn(call.account_id, path or "/", name)),)
        context = resource_tag_context(call.uow.tags.get(ROLE_TAG_KIND, role.id))
        if role.permissions_boundary_arn is not None and "permissions_boundary" not in params:
            context["iam:permissionsboundary"] = (role.permissions_boundary_arn,)
        return (AuthzCheck(action, role.arn, context),)

    return resolve


def on_instance_profile(
    param: str = "instance_profile_name", *, path_param: str | None = None
) -> ResourceResolver:
    def resolve(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
        name: str = params[param]
        profile = call.uow.instance_profiles.get(call.account_id, name)
        if profile is None:
            path = params.get(path_param) if path_param else None
            return (AuthzCheck(action, instance_profile_arn(call.account_id, path or "/", name)),)
        tags = call.uow.tags.get(INSTANCE_PROFILE_TAG_KIND, profile.id)
        return (AuthzCheck(action, profile.arn, resource_tag_context(tags)),)

    return resolve
