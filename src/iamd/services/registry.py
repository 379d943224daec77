"""The operations iamd answers: one handler per AWS operation, registered by name.

The handler of AWS operation ``X`` is ``botocore.xform_name(X)`` in the module of its resource
(STYLE 9); a test checks every registration against that rule and against the service model.
An operation with no registration answers as AWS answers an unknown action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from iamd.services.context import Call

__all__ = [
    "AuthzCheck",
    "Handler",
    "Operation",
    "ResourceResolver",
    "iam_operation",
    "operations",
    "sts_operation",
]

Result = Mapping[str, object] | None
Handler = Callable[..., Result]
F = TypeVar("F", bound=Handler)


@dataclass(frozen=True, slots=True)
class AuthzCheck:
    """One question for the policy engine: may the caller do ``action`` on ``resource``, given
    these request-context keys (lower-cased names -> values)?"""

    action: str
    resource: str
    context: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


ResourceResolver = Callable[[Call, Mapping[str, Any], str], Sequence[AuthzCheck]]
"""(call, params, the operation's own action such as ``iam:GetUser``) -> the checks to make."""


@dataclass(frozen=True, slots=True)
class Operation:
    service: str
    name: str
    handler: Handler
    write: bool
    authz: ResourceResolver | None
    """What the engine is asked before the handler runs; None: the action on ``*``."""
    unsigned: bool = False
    """Accepted without a signature, as AWS accepts AssumeRoleWithWebIdentity/SAML."""
    authorized: bool = True
    """False for the few actions AWS answers without asking any policy (GetCallerIdentity)."""
    cache_neutral: bool = False
    """A write that only adds a new entity, which no cache on any node can hold yet (a new
    user, group, role, policy, key): it takes the account's write lock without bumping the
    change counter, so the caches of the account's principals stay valid."""

    @property
    def action(self) -> str:
        return f"{self.service}:{self.name}"

    def checks(self, call: Call, params: Mapping[str, Any]) -> Sequence[AuthzCheck]:
        if self.authz is None:
            return (AuthzCheck(self.action, "*"),)
        return self.authz(call, params, self.action)


_REGISTRY: dict[tuple[str, str], Operation] = {}


def _register(
    service: str,
    name: str,
    *,
    write: bool,
    authz: ResourceResolver | None,
    unsigned: bool,
    authorized: bool = True,
    cache_neutral: bool = False,
) -> Callable[[F], F]:
    if cache_neutral and not write:
        raise ValueError(f"{service}:{name}: only a write can be cache-neutral")

    def decorate(handler: F) -> F:
        key = (service, name)
        if key in _REGISTRY:
            raise RuntimeError(f"{service}:{name} registered twice")
        _REGISTRY[key] = Operation(
            service, name, handler, write, authz, unsigned, authorized, cache_neutral
        )
        return handler

    return decorate


def iam_operation(
    name: str,
    *,
    write: bool,
    authz: ResourceResolver | None = None,
    cache_neutral: bool = False,
) -> Callable[[F], F]:
    return _register(
        "iam", name, write=write, authz=authz, unsigned=False, cache_neutral=cache_neutral
    )


def sts_operation(
    name: str,
    *,
    write: bool = False,
    authz: ResourceResolver | None = None,
    unsigned: bool = False,
    authorized: bool = True,
) -> Callable[[F], F]:
    return _register(
        "sts", name, write=write, authz=authz, unsigned=unsigned, authorized=authorized
    )


def operations() -> Mapping[tuple[str, str], Operation]:
    """Every registered operation, keyed by (service, AWS operation name)."""
    # Importing the handler modules registers their operations.
    from iamd.services import iam, sts  # noqa: F401

    return dict(_REGISTRY)
