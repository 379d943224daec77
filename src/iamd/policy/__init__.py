"""iamd's policy engine: parse -> validate -> compile -> authorize. Pure; standard library only.

The public API; see docs/policy-engine.md.
"""

from iamd.policy.compiled import (
    CompiledPolicy,
    CompiledStatement,
    PolicyType,
    StatementRef,
    compile_policy,
)
from iamd.policy.engine import Decision, DenyKind, EvalDecision, PolicySet, authorize
from iamd.policy.errors import PolicyError
from iamd.policy.messages import access_denied_message
from iamd.policy.model import (
    Condition,
    Effect,
    PolicyDocument,
    PolicyKind,
    Position,
    PrincipalElement,
    Statement,
)
from iamd.policy.parser import parse_policy
from iamd.policy.principal_ids import is_principal_id, replace_aws_principals
from iamd.policy.quotas import (
    INLINE_GROUP_AGGREGATE,
    INLINE_ROLE_AGGREGATE,
    INLINE_USER_AGGREGATE,
    MANAGED_POLICY_SIZE,
    SESSION_POLICY_SIZE,
    TRUST_POLICY_SIZE,
    policy_size,
)
from iamd.policy.request import Principal, PrincipalType, Request, make_context
from iamd.policy.simulate import (
    CONTEXT_KEY_TYPES,
    ContextEntry,
    ResourceResult,
    SimulationResult,
    context_from_entries,
    context_keys,
    simulate,
)
from iamd.policy.wildcard import compile_wildcard, wildcard_match

__all__ = [
    "CONTEXT_KEY_TYPES",
    "INLINE_GROUP_AGGREGATE",
    "INLINE_ROLE_AGGREGATE",
    "INLINE_USER_AGGREGATE",
    "MANAGED_POLICY_SIZE",
    "SESSION_POLICY_SIZE",
    "TRUST_POLICY_SIZE",
    "CompiledPolicy",
    "CompiledStatement",
    "Condition",
    "ContextEntry",
    "Decision",
    "DenyKind",
    "Effect",
    "EvalDecision",
    "PolicyDocument",
    "PolicyError",
    "PolicyKind",
    "PolicySet",
    "PolicyType",
    "Position",
    "Principal",
    "PrincipalElement",
    "PrincipalType",
    "Request",
    "ResourceResult",
    "SimulationResult",
    "Statement",
    "StatementRef",
    "access_denied_message",
    "authorize",
    "compile_policy",
    "compile_wildcard",
    "context_from_entries",
    "context_keys",
    "is_principal_id",
    "make_context",
    "parse_policy",
    "policy_size",
    "replace_aws_principals",
    "simulate",
    "wildcard_match",
]
