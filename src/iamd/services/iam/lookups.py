"""Finding the IAM entities a request names, with AWS's NoSuchEntity answers, and the resources
the policy engine is asked about for them ("Actions, resources, and condition keys for AWS
Identity and Access Management" in the Service Authorization Reference)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from iamd.arn import Arn, ArnError
from iamd.domain import (
    Group,
    ManagedPolicy,
    PolicyOwnerKind,
    PrincipalType,
    Tag,
    User,
    group_arn,
    policy_arn,
    user_arn,
)
from iamd.errors import InvalidInput, NoSuchEntity, ValidationError
from iamd.services.context import Call
from iamd.services.iam.arn_params import on_arn
from iamd.services.registry import AuthzCheck, ResourceResolver

__all__ = [
    "USER_TAG_KIND",
    "EntityRef",
    "checked_policy_arn",
    "entities_using_policy",
    "on_group",
    "on_new_policy",
    "on_policy",
    "on_user",
    "require_group",
    "require_managed_policy",
    "require_user",
    "resource_tag_context",
    "target_user",
]


USER_TAG_KIND = "user"


def require_user(call: Call, name: str) -> User:
    user = call.uow.users.get(call.account_id, name)
    if user is None:
        raise NoSuchEntity(f"The user with name {name} cannot be found.")
    return user


def require_group(call: Call, name: str) -> Group:
    group = call.uow.groups.get(call.account_id, name)
    if group is None:
        raise NoSuchEntity(f"The group with name {name} cannot be found.")
    return group


def checked_policy_arn(arn: str) -> str:
    """A policy ARN as IAM accepts one, else AWS's InvalidInput."""
    try:
        parsed = Arn.parse(arn)
    except ArnError:
        raise InvalidInput(f"ARN {arn} is not valid.") from None
    if parsed.service != "iam" or not parsed.resource.startswith("policy/"):
        raise InvalidInput(f"ARN {arn} is not valid.")
    return arn


def require_managed_policy(call: Call, arn: str) -> ManagedPolicy:
    policy = call.uow.policies.get(call.account_id, arn)
    if policy is None:
        raise NoSuchEntity(f"Policy {arn} was not found.")
    return policy


def target_user(call: Call, name: str | None) -> User | None:
    """The user a request names, or — when it names none — the calling IAM user; None when the
    caller is the root user acting on itself. Other callers must name a user, as on AWS."""
    if name is not None:
        return require_user(call, name)
    caller = call.caller
    if caller.type is PrincipalType.ROOT:
        return None
    if caller.type is PrincipalType.USER and caller.name is not None:
        return require_user(call, caller.name)
    raise ValidationError("Must specify userName when calling with non-User credentials")


# -- resources for the policy engine ------------------------------------------------------------


def resource_tag_context(tags: Sequence[Tag]) -> dict[str, tuple[str, ...]]:
    """``aws:ResourceTag/key`` and ``iam:ResourceTag/key`` for a tagged IAM resource."""
    context: dict[str, tuple[str, ...]] = {}
    for tag in tags:
        key = tag.key.lower()
        context[f"aws:resourcetag/{key}"] = (tag.value,)
        context[f"iam:resourcetag/{key}"] = (tag.value,)
    return context


def on_user(param: str = "user_name", *, path_param: str | None = None) -> ResourceResolver:
    """The user named by ``param`` (the caller when absent), by its ARN with its path, and its
    tags as ``aws:ResourceTag/*``."""

    def resolve(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
        name = params.get(param)
        if name is None:
            if call.caller.type is not PrincipalType.USER or call.caller.name is None:
                return (AuthzCheck(action, call.caller.arn),)
            name = call.caller.name
        user = call.uow.users.get(call.account_id, name)
        if user is None:
            path = params.get(path_param) if path_param else None
            return (AuthzCheck(action, user_arn(call.account_id, path or "/", name)),)
        tags = call.uow.tags.get(USER_TAG_KIND, user.id)
        return (AuthzCheck(action, user.arn, resource_tag_context(tags)),)

    return resolve


def on_group(param: str = "group_name", *, path_param: str | None = None) -> ResourceResolver:
    def resolve(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
        name: str = params[param]
        group = call.uow.groups.get(call.account_id, name)
        if group is not None:
            resource = group.arn
        else:
            path = params.get(path_param) if path_param else None
            resource = group_arn(call.account_id, path or "/", name)
        return (AuthzCheck(action, resource),)

    return resolve


def on_new_policy() -> ResourceResolver:
    """CreatePolicy: the ARN the new policy will have."""

    def resolve(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
        resource = policy_arn(call.account_id, params.get("path") or "/", params["policy_name"])
        return (AuthzCheck(action, resource),)

    return resolve


@dataclass(frozen=True, slots=True)
class EntityRef:
    kind: str  # user | group | role
    id: str
    name: str
    path: str


def entities_using_policy(call: Call, arn: str, usage: str | None) -> list[EntityRef]:
    """The identities of the caller's account a managed policy is attached to
    (``PermissionsPolicy``), or is the permissions boundary of (``PermissionsBoundary``), or
    both (``usage`` None)."""
    uow = call.uow
    found: list[EntityRef] = []
    if usage in (None, "PermissionsPolicy"):
        for kind, owner_id in uow.policies.entities_for_policy(call.account_id, arn):
            if kind is PolicyOwnerKind.USER:
                user = uow.users.get_by_id(call.account_id, owner_id)
                if user is not None:
                    found.append(EntityRef("user", user.id, user.name, user.path))
            elif kind is PolicyOwnerKind.GROUP:
                group = uow.groups.get_by_id(call.account_id, owner_id)
                if group is not None:
                    found.append(EntityRef("group", group.id, group.name, group.path))
            elif kind is PolicyOwnerKind.ROLE:
                role = uow.roles.get_by_id(call.account_id, owner_id)
                if role is not None:
                    found.append(EntityRef("role", role.id, role.name, role.path))
    if usage in (None, "PermissionsBoundary"):
        bounded = [
            EntityRef("user", u.id, u.name, u.path)
            for u in uow.users.with_boundary(call.account_id, arn)
        ] + [
            EntityRef("role", r.id, r.name, r.path)
            for r in uow.roles.with_boundary(call.account_id, arn)
        ]
        found.extend(ref for ref in bounded if ref not in found)
    return found


def on_policy(param: str = "policy_arn") -> ResourceResolver:
    """The managed policy named by the ARN in ``param``, as given."""
    return on_arn(param)
