"""What the policy simulator needs, on top of :func:`iamd.policy.authorize`.

SimulatePrincipalPolicy / SimulateCustomPolicy ("Testing IAM policies with the IAM policy
simulator", access_policies_testing-policies) evaluate every action against every resource with
caller-supplied context entries and report, per pair, the EvalDecision, the MatchedStatements
(SourcePolicyId, SourcePolicyType, StartPosition, EndPosition), the MissingContextValues, the
PermissionsBoundaryDecisionDetail and, when a resource-based policy takes part, the
EvalDecisionDetails. GetContextKeysFor*Policy list the keys that conditions reference. Every
decision here is made by the same ``authorize`` that guards the API.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from iamd.policy.compiled import CompiledPolicy, PolicyType, StatementRef
from iamd.policy.engine import Decision, DenyKind, EvalDecision, PolicySet, authorize
from iamd.policy.model import PolicyDocument
from iamd.policy.request import Principal, Request
from iamd.policy.variables import parse_template

__all__ = [
    "CONTEXT_KEY_TYPES",
    "ContextEntry",
    "ResourceResult",
    "SimulationResult",
    "context_from_entries",
    "context_keys",
    "simulate",
]

CONTEXT_KEY_TYPES = frozenset(
    {
        "string",
        "stringList",
        "numeric",
        "numericList",
        "boolean",
        "booleanList",
        "ip",
        "ipList",
        "binary",
        "binaryList",
        "date",
        "dateList",
    }
)


@dataclass(frozen=True, slots=True)
class ContextEntry:
    """One ContextEntries member: ContextKeyName, ContextKeyValues, ContextKeyType."""

    key: str
    values: tuple[str, ...]
    type: str = "string"


def context_from_entries(entries: Iterable[ContextEntry]) -> Mapping[str, tuple[str, ...]]:
    """The request context for the simulator's ContextEntries.

    Keys are lower-cased; boolean values are compared case-insensitively by ``Bool`` anyway, the
    other types are kept as given (the operators parse numbers, dates and addresses). A later
    entry for the same key replaces an earlier one.
    """
    context: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        if entry.type not in CONTEXT_KEY_TYPES:
            raise ValueError(f"unknown ContextKeyType {entry.type}")
        context[entry.key.lower()] = tuple(entry.values)
    return MappingProxyType(context)


@dataclass(frozen=True, slots=True)
class ResourceResult:
    """One ResourceSpecificResults member."""

    resource: str
    decision: EvalDecision
    matched: tuple[StatementRef, ...]
    missing_context_keys: tuple[str, ...]
    decision_details: tuple[tuple[str, EvalDecision], ...]
    allowed_by_boundary: bool | None


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """One EvaluationResults member: an action on a resource."""

    action: str
    resource: str
    decision: EvalDecision
    matched: tuple[StatementRef, ...]
    missing_context_keys: tuple[str, ...]
    decision_details: tuple[tuple[str, EvalDecision], ...]
    allowed_by_boundary: bool | None
    resource_results: tuple[ResourceResult, ...]
    denied_by: DenyKind | None


_RESOURCE_TYPES = (PolicyType.RESOURCE, PolicyType.TRUST)


def _details(decision: Decision, policies: PolicySet) -> tuple[tuple[str, EvalDecision], ...]:
    """EvalDecisionDetails: how the identity side and the resource side each decided."""
    if policies.resource is None:
        return ()
    explicit = decision.decision is EvalDecision.EXPLICIT_DENY
    resource_kinds = (DenyKind.RESOURCE, DenyKind.TRUST)
    if explicit and decision.denied_by in resource_kinds:
        resource_side = EvalDecision.EXPLICIT_DENY
    elif any(ref.policy_type in _RESOURCE_TYPES for ref in decision.matched):
        resource_side = EvalDecision.ALLOWED
    else:
        resource_side = EvalDecision.IMPLICIT_DENY
    if explicit and decision.denied_by not in resource_kinds:
        identity_side = EvalDecision.EXPLICIT_DENY
    elif any(ref.policy_type not in _RESOURCE_TYPES for ref in decision.matched) and not explicit:
        identity_side = EvalDecision.ALLOWED
    else:
        identity_side = EvalDecision.IMPLICIT_DENY
    return (("IAM Policy", identity_side), ("Resource Policy", resource_side))


def simulate(
    principal: Principal,
    actions: Sequence[str],
    resources: Sequence[str],
    policies: PolicySet,
    context: Mapping[str, tuple[str, ...]],
    resource_account: str | None = None,
) -> tuple[SimulationResult, ...]:
    """Evaluate each action on each resource (``("*",)`` when none are given)."""
    results: list[SimulationResult] = []
    for action in actions:
        for resource in resources or ("*",):
            request = Request(principal, action, resource, resource_account, context)
            decision = authorize(request, policies, explain=True)
            details = _details(decision, policies)
            per_resource = ResourceResult(
                resource,
                decision.decision,
                decision.matched,
                decision.missing_context_keys,
                details,
                decision.allowed_by_boundary,
            )
            results.append(
                SimulationResult(
                    action=action,
                    resource=resource,
                    decision=decision.decision,
                    matched=decision.matched,
                    missing_context_keys=decision.missing_context_keys,
                    decision_details=details,
                    allowed_by_boundary=decision.allowed_by_boundary,
                    resource_results=(per_resource,),
                    denied_by=decision.denied_by,
                )
            )
    return tuple(results)


def context_keys(policies: Iterable[PolicyDocument | CompiledPolicy]) -> tuple[str, ...]:
    """GetContextKeysFor*Policy: the keys that conditions and policy variables reference.

    Sorted, each key once (compared case-insensitively, first spelling kept).
    """
    found: dict[str, str] = {}
    for policy in policies:
        document = policy.document if isinstance(policy, CompiledPolicy) else policy
        variables = document.supports_variables
        for statement in document.statements:
            texts: list[str] = list(statement.resources or statement.not_resources or ())
            for condition in statement.conditions:
                found.setdefault(condition.key.lower(), condition.key)
                texts.extend(condition.values)
            for text in texts:
                for variable in parse_template(text, variables).variables:
                    found.setdefault(variable.key, variable.key)
    return tuple(sorted(found.values(), key=str.lower))
