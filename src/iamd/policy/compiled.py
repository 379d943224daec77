"""Compiled policies: immutable, shareable between threads, cacheable by (policy id, version).

Compile once, evaluate many (STYLE 26). A compiled policy indexes its statements by action so
that a decision looks only at the statements that can apply: exact lower-cased action names in
a dict, patterns with a literal service prefix grouped by service, the rest (``*``,
``s3*:Get*``) and every ``NotAction`` statement in small lists. The statements for one action
are memoised in a bounded table; the table holds derived data only, so sharing a compiled
policy between threads is safe (a lost update only costs a recomputation).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from iamd.policy.conditions import CompiledCondition, compile_condition
from iamd.policy.model import Effect, PolicyDocument, Position, PrincipalElement, Statement
from iamd.policy.resources import ResourcePattern, compile_resource
from iamd.policy.wildcard import Wildcard, compile_wildcard

__all__ = [
    "CompiledPolicy",
    "CompiledStatement",
    "Plan",
    "PolicyType",
    "StatementRef",
    "compile_policy",
    "plan_statements",
]

_MEMO_LIMIT = 4096
_NO_CONTEXT: Mapping[str, tuple[str, ...]] = MappingProxyType({})


class PolicyType(enum.Enum):
    """Where a policy comes from: which entity it is attached to and how.

    ``source_type`` gives the simulator's SourcePolicyType for it.
    """

    USER_INLINE = "user-inline"
    USER_MANAGED = "user-managed"
    GROUP_INLINE = "group-inline"
    GROUP_MANAGED = "group-managed"
    ROLE_INLINE = "role-inline"
    ROLE_MANAGED = "role-managed"
    PERMISSIONS_BOUNDARY = "permissions-boundary"
    SESSION = "session"
    RESOURCE = "resource"
    TRUST = "trust"
    CUSTOM = "custom"


_INLINE_SOURCE = {
    PolicyType.USER_INLINE: "user",
    PolicyType.GROUP_INLINE: "group",
    PolicyType.ROLE_INLINE: "role",
    PolicyType.RESOURCE: "resource",
    PolicyType.TRUST: "resource",
    PolicyType.SESSION: "none",
    PolicyType.CUSTOM: "none",
}


@dataclass(frozen=True, slots=True)
class StatementRef:
    """A statement as the simulator reports it (MatchedStatements)."""

    policy_id: str
    policy_type: PolicyType
    source_type: str  # SourcePolicyType: user | group | role | aws-managed | user-managed | …
    index: int
    sid: str | None
    start: Position
    end: Position


@dataclass(frozen=True, slots=True)
class CompiledStatement:
    ref: StatementRef
    allow: bool
    resources: tuple[ResourcePattern, ...]  # empty: no Resource element (trust policies)
    not_resource: bool
    any_resource: bool  # Resource is "*" (or absent): no resource test needed
    static_resources: bool  # no policy variable in Resource/NotResource
    principal: PrincipalElement | None
    not_principal: PrincipalElement | None
    conditions: tuple[CompiledCondition, ...]
    reported_keys: tuple[tuple[str, str], ...]  # (lower, as written): MissingContextValues
    actions: tuple[Wildcard, ...]
    not_action: bool

    def matches_action(self, action_lower: str) -> bool:
        hit = any(p.matches(action_lower) for p in self.actions)
        return hit != self.not_action


def _compile_statement(
    statement: Statement, ref: StatementRef, variables: bool
) -> CompiledStatement:
    patterns = statement.resources if statement.resources is not None else statement.not_resources
    resources = tuple(compile_resource(r, variables) for r in patterns or ())
    not_resource = statement.not_resources is not None
    any_resource = not not_resource and (not resources or any(r.is_any for r in resources))
    conditions = tuple(
        compile_condition(c.operator, c.key, c.values, variables) for c in statement.conditions
    )
    reported: dict[str, str] = {}
    for condition in conditions:
        if not condition.is_null:
            reported.setdefault(condition.key_lower, condition.key)
    actions = statement.actions if statement.actions is not None else statement.not_actions
    return CompiledStatement(
        ref=ref,
        allow=statement.effect is Effect.ALLOW,
        resources=resources,
        not_resource=not_resource,
        any_resource=any_resource,
        static_resources=not any(r.variables for r in resources),
        principal=statement.principal,
        not_principal=statement.not_principal,
        conditions=conditions,
        reported_keys=tuple(reported.items()),
        actions=tuple(compile_wildcard(a.lower()) for a in actions or ()),
        not_action=statement.not_actions is not None,
    )


Plan = tuple[tuple[CompiledStatement, bool], ...]
"""Statements that may apply to one (action, resource), each with whether its Resource still
needs checking against the request (True only where policy variables make it request-dependent)."""


def plan_statements(
    statements: Iterable[CompiledStatement], resource: str, fields: tuple[str, ...] | None
) -> Plan:
    """Settle every request-independent Resource/NotResource test for ``resource`` once.

    Deny statements come first, each kind in document order, so that a scan that only needs
    one Allow has seen every Deny before it stops."""
    plan: list[tuple[CompiledStatement, bool]] = []
    for statement in statements:
        if statement.any_resource:
            plan.append((statement, False))
        elif statement.static_resources:
            hit = any(p.matches(resource, fields, _NO_CONTEXT) for p in statement.resources)
            if hit != statement.not_resource:
                plan.append((statement, False))
        elif any(p.could_match(resource, fields) for p in statement.resources):
            plan.append((statement, True))
        elif statement.not_resource:  # no listed resource can match: NotResource holds
            plan.append((statement, False))
    return tuple(sorted(plan, key=lambda pair: pair[0].allow))


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    """A policy ready to evaluate. Build with :func:`compile_policy`."""

    policy_id: str
    policy_type: PolicyType
    aws_managed: bool
    document: PolicyDocument
    statements: tuple[CompiledStatement, ...]
    _exact: dict[str, tuple[int, ...]] = field(repr=False, compare=False)
    _by_service: dict[str, tuple[tuple[Wildcard, int], ...]] = field(repr=False, compare=False)
    _general: tuple[tuple[Wildcard, int], ...] = field(repr=False, compare=False)
    _not_action: tuple[int, ...] = field(repr=False, compare=False)
    _memo: dict[str, tuple[CompiledStatement, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _plans: dict[tuple[str, str], Plan] = field(default_factory=dict, repr=False, compare=False)

    def plan(self, action_lower: str, resource: str, fields: tuple[str, ...] | None) -> Plan:
        """:func:`plan_statements` of :meth:`candidates`, memoised by (action, resource)."""
        key = (action_lower, resource)
        found = self._plans.get(key)
        if found is None:
            found = plan_statements(self.candidates(action_lower), resource, fields)
            if len(self._plans) >= _MEMO_LIMIT:
                self._plans.clear()
            self._plans[key] = found
        return found

    def candidates(self, action_lower: str) -> tuple[CompiledStatement, ...]:
        """The statements whose Action/NotAction matches ``action_lower``, in document order."""
        found = self._memo.get(action_lower)
        if found is not None:
            return found
        hits = set(self._exact.get(action_lower, ()))
        service = action_lower.partition(":")[0]
        for pattern, index in self._by_service.get(service, ()):
            if pattern.matches(action_lower):
                hits.add(index)
        for pattern, index in self._general:
            if pattern.matches(action_lower):
                hits.add(index)
        for index in self._not_action:
            if self.statements[index].matches_action(action_lower):
                hits.add(index)
        found = tuple(self.statements[i] for i in sorted(hits))
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[action_lower] = found
        return found


def compile_policy(
    doc: PolicyDocument, policy_id: str, policy_type: PolicyType, *, aws_managed: bool = False
) -> CompiledPolicy:
    """Compile a parsed document. ``aws_managed`` marks an AWS managed policy."""
    managed = "aws-managed" if aws_managed else "user-managed"
    source = _INLINE_SOURCE.get(policy_type, managed)
    variables = doc.supports_variables
    statements = tuple(
        _compile_statement(
            s,
            StatementRef(policy_id, policy_type, source, s.index, s.sid, s.start, s.end),
            variables,
        )
        for s in doc.statements
    )
    exact: dict[str, list[int]] = {}
    by_service: dict[str, list[tuple[Wildcard, int]]] = {}
    general: list[tuple[Wildcard, int]] = []
    not_action: list[int] = []
    for i, statement in enumerate(statements):
        if statement.not_action:
            not_action.append(i)
            continue
        for pattern in statement.actions:
            text = pattern.source
            service, colon, _ = text.partition(":")
            if pattern.is_literal:
                exact.setdefault(text, []).append(i)
            elif colon and "*" not in service and "?" not in service:
                by_service.setdefault(service, []).append((pattern, i))
            else:
                general.append((pattern, i))
    return CompiledPolicy(
        policy_id=policy_id,
        policy_type=policy_type,
        aws_managed=aws_managed,
        document=doc,
        statements=statements,
        _exact={k: tuple(v) for k, v in exact.items()},
        _by_service={k: tuple(v) for k, v in by_service.items()},
        _general=tuple(general),
        _not_action=tuple(not_action),
    )
