"""The request context the engine decides on.

"Policy evaluation logic", "Processing the request context": the principal, the action, the
resource and the context keys.

**Context values.** ``Request.context`` maps each condition key, *lower-cased* (key names are
case-insensitive), to a tuple of strings. A single-valued key such as ``aws:SourceIp`` is a
1-tuple; a multivalued key such as ``aws:TagKeys`` holds one string per value, in any order. A
key that is absent, or whose tuple is empty, is "not present". There is no separate flag for
multivalued keys because the operators do not need one: ``ForAllValues:``/``ForAnyValue:``
quantify over the tuple, and an operator without a set qualifier is true when any value matches
(its negated form when none does). A policy variable takes its text from a key with exactly
one value; a multivalued key has no single value to substitute. Numbers, booleans, dates and
IP addresses are given as the strings AWS would put in the context (``"true"``, ``"10"``,
``"2024-01-01T00:00:00Z"``, ``"203.0.113.7"``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from iamd.policy.resources import split_arn

__all__ = ["Principal", "PrincipalType", "Request", "make_context"]

_EMPTY: Mapping[str, tuple[str, ...]] = MappingProxyType({})


class PrincipalType(enum.Enum):
    """Who makes the request; the value is what ``aws:PrincipalType`` holds."""

    ROOT = "Account"
    USER = "User"
    ASSUMED_ROLE = "AssumedRole"
    FEDERATED_USER = "FederatedUser"
    SERVICE = "Service"
    WEB_IDENTITY = "WebIdentityUser"
    SAML = "SAMLUser"
    ANONYMOUS = "Anonymous"


@dataclass(frozen=True, slots=True)
class Principal:
    """The principal making a request, and what a ``Principal`` element can match on it.

    - ``arn``: the ARN the request is made as: ``arn:aws:iam::111122223333:user/Bob``,
      ``arn:aws:sts::111122223333:assumed-role/Role/session``,
      ``arn:aws:sts::111122223333:federated-user/Bob``, ``arn:aws:iam::111122223333:root``.
    - ``account``: its account id (None for a service, a web identity or anonymous).
    - ``entity_arn``: for a role session the role's ARN; for a federated user session the ARN of
      the IAM user who called GetFederationToken. A resource-based policy that names this ARN
      (rather than the session's) grants subject to boundaries and session policies.
    - ``service``: a service principal's name (``ec2.amazonaws.com``).
    - ``federated``: the identity provider of a web-identity or SAML caller (``cognito-identity
      .amazonaws.com`` or ``arn:aws:iam::111122223333:saml-provider/Idp``).
    - ``canonical_user``: an S3 canonical user id.
    """

    type: PrincipalType
    arn: str
    account: str | None
    entity_arn: str | None = None
    service: str | None = None
    federated: str | None = None
    canonical_user: str | None = None

    @property
    def is_session(self) -> bool:
        return self.type in (PrincipalType.ASSUMED_ROLE, PrincipalType.FEDERATED_USER)


@dataclass(frozen=True, slots=True)
class Request:
    """One authorization request.

    ``resource`` is an ARN, or ``"*"`` for an action without a resource type.
    ``resource_account`` is the account that owns the resource; None means the principal's own
    account. ``context`` is described in this module's docstring; build it with
    :func:`make_context`.
    """

    principal: Principal
    action: str
    resource: str = "*"
    resource_account: str | None = None
    context: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _EMPTY)
    action_lower: str = field(init=False, repr=False, compare=False)
    resource_fields: tuple[str, ...] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "action_lower", self.action.lower())
        object.__setattr__(self, "resource_fields", split_arn(self.resource))


def make_context(
    entries: Mapping[str, str | Iterable[str]],
) -> Mapping[str, tuple[str, ...]]:
    """A request context from ``{key: value or values}``; keys are lower-cased."""
    context: dict[str, tuple[str, ...]] = {}
    for key, value in entries.items():
        context[key.lower()] = (value,) if isinstance(value, str) else tuple(value)
    return MappingProxyType(context)
