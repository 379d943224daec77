"""What a service last accessed request is about: the user, group, role or managed policy its
ARN names, and the users and roles whose use of a service counts for it ("Refine permissions in
AWS using last accessed information", access_policies_last-accessed: a group's report covers its
members, a policy's report the users and roles it is attached to, directly or through a
group)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from iamd.arn import Arn, ArnError
from iamd.domain import Group, ManagedPolicy, PolicyOwnerKind, Role, User
from iamd.errors import InvalidInput, NoSuchEntity
from iamd.services.context import Call

__all__ = ["Entity", "Target", "entities_for", "resolve_entity"]

_MEMBERS_PAGE = 1000


@dataclass(frozen=True, slots=True)
class Entity:
    """A user or role (or group) as GetServiceLastAccessedDetailsWithEntities lists it."""

    arn: str
    name: str
    type: str  # USER, ROLE or GROUP
    id: str
    path: str

    def as_json(self) -> dict[str, str]:
        return {
            "arn": self.arn,
            "name": self.name,
            "type": self.type,
            "id": self.id,
            "path": self.path,
        }

    @staticmethod
    def info_from_json(data: dict[str, Any]) -> dict[str, object]:
        """The ``EntityInfo`` shape from :meth:`as_json`'s form."""
        return {
            "arn": data["arn"],
            "name": data["name"],
            "type": data["type"],
            "id": data["id"],
            "path": data["path"],
        }


@dataclass(frozen=True, slots=True)
class Target:
    """Exactly one of ``identity`` and ``policy`` is set."""

    identity: User | Group | Role | None = None
    policy: ManagedPolicy | None = None


def _of(identity: User | Role) -> Entity:
    kind = "USER" if isinstance(identity, User) else "ROLE"
    return Entity(identity.arn, identity.name, kind, identity.id, identity.path)


def resolve_entity(call: Call, arn: str, *, allow_policy: bool) -> Target:
    """The entity ``arn`` names in the caller's account, else AWS's InvalidInput (not an ARN of
    a kind the operation takes) or NoSuchEntity."""
    try:
        parsed = Arn.parse(arn)
    except ArnError:
        raise InvalidInput(f"ARN {arn} is not valid.") from None
    kind = parsed.resource_type
    kinds = {"user", "group", "role"} | ({"policy"} if allow_policy else set())
    if parsed.service != "iam" or kind not in kinds:
        raise InvalidInput(f"ARN {arn} is not valid.")
    uow = call.uow
    name = parsed.resource.rsplit("/", 1)[-1]
    found: User | Group | Role | ManagedPolicy | None
    if kind == "policy":
        found = uow.policies.get(call.account_id, arn)
    elif parsed.account != call.account_id:
        found = None
    elif kind == "user":
        found = uow.users.get(call.account_id, name)
    elif kind == "group":
        found = uow.groups.get(call.account_id, name)
    else:
        found = uow.roles.get(call.account_id, name)
    if found is None or found.arn != arn:
        raise NoSuchEntity(f"The entity with ARN {arn} cannot be found.")
    if isinstance(found, ManagedPolicy):
        return Target(policy=found)
    return Target(identity=found)


def _members(call: Call, group: Group) -> list[Entity]:
    found: list[Entity] = []
    marker: str | None = None
    while True:
        page = call.uow.groups.members(
            call.account_id, group.id, marker=marker, max_items=_MEMBERS_PAGE
        )
        found.extend(_of(user) for user in page.items)
        if page.next_marker is None:
            return found
        marker = page.next_marker


def entities_for(call: Call, target: Target) -> list[Entity]:
    """The users and roles whose recorded access counts for ``target``, each once."""
    uow = call.uow
    identity = target.identity
    if isinstance(identity, User | Role):
        return [_of(identity)]
    if isinstance(identity, Group):
        return _members(call, identity)
    found: dict[str, Entity] = {}
    policy = target.policy
    if policy is None:
        return []
    for kind, owner_id in uow.policies.entities_for_policy(call.account_id, policy.arn):
        if kind is PolicyOwnerKind.USER:
            user = uow.users.get_by_id(call.account_id, owner_id)
            entities = [_of(user)] if user else []
        elif kind is PolicyOwnerKind.ROLE:
            role = uow.roles.get_by_id(call.account_id, owner_id)
            entities = [_of(role)] if role else []
        else:
            group = uow.groups.get_by_id(call.account_id, owner_id)
            entities = _members(call, group) if group else []
        for entity in entities:
            found.setdefault(entity.arn, entity)
    return sorted(found.values(), key=lambda e: (e.type, e.name.lower()))
