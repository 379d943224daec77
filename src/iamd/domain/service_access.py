"""Which AWS services a set of permissions policies grants access to ("Refine permissions in
AWS using last accessed information", access_policies_last-accessed; ListPoliciesGrantingService
Access in the IAM API Reference).

As AWS does for service last accessed data, only permissions policy logic is applied: a service
is granted when an ``Allow`` statement allows at least one of its actions, whatever the
statement's Resource and Condition; Deny statements, boundaries, resource-based and session
policies are not considered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from iamd.policy import Effect, PolicyDocument, Statement, compile_wildcard

__all__ = ["AwsService", "granted_actions", "grants_service"]


@dataclass(frozen=True, slots=True)
class AwsService:
    """A service of the Service Authorization Reference: its namespace (the action prefix), its
    name as AWS writes it, and its actions (without the prefix)."""

    namespace: str
    name: str
    actions: tuple[str, ...]


def _allowed(statement: Statement, service: AwsService) -> tuple[str, ...]:
    prefix = service.namespace.lower() + ":"
    names = [prefix + action.lower() for action in service.actions]
    if statement.actions is not None:
        patterns = [compile_wildcard(a.lower()) for a in statement.actions]
        return tuple(
            service.actions[i]
            for i, name in enumerate(names)
            if any(p.matches(name) for p in patterns)
        )
    excluded = [compile_wildcard(a.lower()) for a in statement.not_actions or ()]
    return tuple(
        service.actions[i]
        for i, name in enumerate(names)
        if not any(p.matches(name) for p in excluded)
    )


def granted_actions(documents: Iterable[PolicyDocument], service: AwsService) -> frozenset[str]:
    """The actions of ``service`` (as the catalog spells them) that the documents allow."""
    found: set[str] = set()
    for document in documents:
        for statement in document.statements:
            if statement.effect is Effect.ALLOW:
                found.update(_allowed(statement, service))
    return frozenset(found)


def grants_service(documents: Sequence[PolicyDocument], service: AwsService) -> bool:
    for document in documents:
        for statement in document.statements:
            if statement.effect is Effect.ALLOW and _allowed(statement, service):
                return True
    return False
