"""Finding the IAM entities a request names, with AWS's NoSuchEntity answers, and the resources
the policy engine is asked about for them ("Actions, resources, and condition keys for AWS
Identity and Access Management" in the Service Authorization Reference)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.arn import Arn, ArnError
from iamd.domain import Group, ManagedPolicy, PrincipalType, User, group_arn, user_arn
from iamd.errors import InvalidInput, NoSuchEntity, ValidationError
from iamd.services.context import Call
from iamd.services.registry import AuthzCheck, ResourceResolver

__all__ = [
    "checked_policy_arn",
    "on_group",
    "on_policy",
    "on_user",
    "require_group",
    "require_managed_policy",
    "require_user",
    "target_user",
]


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


def _user_resource(call: Call, name: str | None, path: str | None) -> str:
    if name is None:
        return call.caller.arn
    user = call.uow.users.get(call.account_id, name)
    if user is not None:
        return user.arn
    return user_arn(call.account_id, path or "/", name)


def on_user(param: str = "user_name", *, path_param: str | None = None) -> ResourceResolver:
    """The user named by ``param`` (the caller when absent), by its ARN with its path."""

    def resolve(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
        path = params.get(path_param) if path_param else None
        return (AuthzCheck(action, _user_resource(call, params.get(param), path)),)

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


def on_policy(param: str = "policy_arn") -> ResourceResolver:
    def resolve(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
        return (AuthzCheck(action, str(params[param])),)

    return resolve
