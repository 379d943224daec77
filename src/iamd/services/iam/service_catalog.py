"""The services of the Service Authorization Reference (namespace, name, actions), from the
packaged ``iamd/data/aws_services.json.gz`` (``scripts/generate_aws_services.py``), and the
permissions policies an IAM identity has, for service last accessed data."""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from importlib.resources import files

from iamd.domain import AwsService, Group, PolicyOwnerKind, Role, User
from iamd.policy import PolicyDocument, PolicyError, PolicyKind, parse_policy
from iamd.services.context import Call

__all__ = ["GrantingPolicy", "aws_services", "identity_policies", "parsed_document"]


@functools.cache
def aws_services() -> tuple[AwsService, ...]:
    """Every service, by namespace. Immutable packaged data, read once per process."""
    raw = files("iamd.data").joinpath("aws_services.json.gz").read_bytes()
    entries = json.loads(gzip.decompress(raw))["services"]
    return tuple(
        AwsService(e["namespace"], e["name"], tuple(e["actions"]))
        for e in sorted(entries, key=lambda e: e["namespace"])
    )


@dataclass(frozen=True, slots=True)
class GrantingPolicy:
    """A permissions policy of an identity: managed (``arn`` set) or inline (``owner_kind`` and
    ``owner_name`` say whose)."""

    name: str
    document: PolicyDocument
    arn: str | None = None
    owner_kind: PolicyOwnerKind | None = None
    owner_name: str | None = None


def parsed_document(text: str) -> PolicyDocument | None:
    """A stored policy document, parsed (None in the unlikely case it no longer parses)."""
    try:
        return parse_policy(text, PolicyKind.IDENTITY)
    except PolicyError:
        return None


def _own_policies(
    call: Call, kind: PolicyOwnerKind, owner_id: str, owner_name: str
) -> list[GrantingPolicy]:
    uow = call.uow
    found: list[GrantingPolicy] = []
    for inline in uow.inline_policies.all(kind, owner_id):
        document = parsed_document(inline.document)
        if document is not None:
            found.append(GrantingPolicy(inline.name, document, None, kind, owner_name))
    for attached in uow.policies.all_attached(kind, owner_id):
        version = uow.policies.default_version(attached.arn)
        document = parsed_document(version.document) if version else None
        if document is not None:
            found.append(GrantingPolicy(attached.name, document, attached.arn))
    return found


def identity_policies(call: Call, identity: User | Group | Role) -> list[GrantingPolicy]:
    """The permissions policies an identity can use: for a user, its own and its groups'; for a
    group or a role, its own. Boundaries are not permissions policies and are left out."""
    if isinstance(identity, User):
        found = _own_policies(call, PolicyOwnerKind.USER, identity.id, identity.name)
        for group in call.uow.groups.all_groups_for_user(call.account_id, identity.id):
            found.extend(_own_policies(call, PolicyOwnerKind.GROUP, group.id, group.name))
        return found
    if isinstance(identity, Group):
        return _own_policies(call, PolicyOwnerKind.GROUP, identity.id, identity.name)
    return _own_policies(call, PolicyOwnerKind.ROLE, identity.id, identity.name)
