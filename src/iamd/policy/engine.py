"""``authorize(request, policies) -> Decision``: AWS's policy evaluation logic, pure.

"Policy evaluation logic" (reference_policies_evaluation-logic, "Determining whether a request
is allowed or denied within an account") and "Cross-account policy evaluation logic":

1. An explicit deny in any policy — identity-based, resource-based, permissions boundary,
   session policy — decides: EXPLICIT_DENY.
2. Within one account, an Allow in an identity-based policy or in the resource-based policy
   suffices, except that the identity path must also pass the permissions boundary and, for a
   session, the session policy. A resource-based policy that names the requesting IAM user,
   role session or federated user session directly is not limited by implicit denies in the
   identity-based policies, boundary or session policy; one that names the role (for a role
   session) or the IAM user who federated (for a federated user session) is limited by the
   boundary and the session policy. Naming the account delegates to the identity path. A role
   trust policy must itself allow the principal (directly, or by naming the account, in which
   case the identity path must allow too).
3. Across accounts, both the identity path (with boundary and session policy) and the
   resource-based policy must allow.
4. A root user has full access in its own account (explicit denies still apply); a federated
   user session without a session policy has no permissions from identity-based policies.
Otherwise: IMPLICIT_DENY, with the kind of policy that lacked an Allow.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from iamd.policy.compiled import (
    CompiledPolicy,
    CompiledStatement,
    Plan,
    PolicyType,
    StatementRef,
    plan_statements,
)
from iamd.policy.model import PrincipalElement
from iamd.policy.request import Principal, PrincipalType, Request

__all__ = ["Decision", "DenyKind", "EvalDecision", "PolicySet", "authorize"]


class EvalDecision(enum.Enum):
    """The outcome; values are the simulator's EvalDecision strings."""

    ALLOWED = "allowed"
    EXPLICIT_DENY = "explicitDeny"
    IMPLICIT_DENY = "implicitDeny"


class DenyKind(enum.Enum):
    """The kind of policy that denied (explicitly) or lacked an Allow (implicitly)."""

    IDENTITY = "identity-based policy"
    RESOURCE = "resource-based policy"
    TRUST = "role trust policy"
    BOUNDARY = "permissions boundary"
    SESSION = "session policy"


@dataclass(frozen=True, slots=True)
class PolicySet:
    """The policies that apply to one request.

    ``boundary``: the principal's permissions boundary (None: it has none). ``session``: the
    session policies of an STS session (None: none were passed). ``resource``: the resource-based
    policy of the resource (a role's trust policy has type ``PolicyType.TRUST``), owned by
    ``resource_owner``; when that is None the owner is ``Request.resource_account``, and when
    that is None too, the principal's own account.
    """

    identity: tuple[CompiledPolicy, ...] = ()
    boundary: tuple[CompiledPolicy, ...] | None = None
    session: tuple[CompiledPolicy, ...] | None = None
    resource: CompiledPolicy | None = None
    resource_owner: str | None = None
    _plans: dict[tuple[str, str], Plan] = field(default_factory=dict, repr=False, compare=False)
    _by_action: dict[str, tuple[CompiledStatement, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def identity_plan(self, request: Request) -> Plan:
        """The identity-based statements that may apply to the request's action and resource.

        Memoised by (action, resource): the request-independent parts of matching are settled
        once; conditions and Resource values with policy variables are evaluated per request.
        """
        key = (request.action_lower, request.resource)
        found = self._plans.get(key)
        if found is None:
            statements = self._by_action.get(key[0])
            if statements is None:
                statements = tuple(s for p in self.identity for s in p.candidates(key[0]))
                if len(self._by_action) >= 4096:
                    self._by_action.clear()
                self._by_action[key[0]] = statements
            found = plan_statements(statements, key[1], request.resource_fields)
            if len(self._plans) >= 4096:
                self._plans.clear()
            self._plans[key] = found
        return found


@dataclass(frozen=True, slots=True)
class Decision:
    """The result of :func:`authorize`.

    ``matched``: for an explicit deny the Deny statements that applied; otherwise the Allow
    statements that applied (empty for an implicit deny with nothing matching).
    ``missing_context_keys``: condition keys of applicable statements absent from the request
    (the simulator's MissingContextValues). ``denied_by``: which kind of policy denied, or
    lacked the Allow. ``allowed_by_boundary``: whether the permissions boundary allows (None
    when there is no boundary), for PermissionsBoundaryDecisionDetail.
    """

    decision: EvalDecision
    matched: tuple[StatementRef, ...] = ()
    missing_context_keys: tuple[str, ...] = ()
    denied_by: DenyKind | None = None
    allowed_by_boundary: bool | None = None

    @property
    def allowed(self) -> bool:
        return self.decision is EvalDecision.ALLOWED


# How a resource-based policy statement's Principal matches the requester.
_NONE, _ACCOUNT, _ENTITY, _DIRECT = range(4)


def _root_arn(account: str) -> str:
    return f"arn:aws:iam::{account}:root"


def _aws_value_kind(value: str, principal: Principal) -> int:
    if value == "*" or value == principal.arn:
        return _DIRECT
    if value == principal.entity_arn:
        return _ENTITY
    account = principal.account
    if account is not None and (value == account or value == _root_arn(account)):
        return _DIRECT if principal.type is PrincipalType.ROOT else _ACCOUNT
    if account is not None and value.endswith(f"::{account}:root") and value.startswith("arn:"):
        return _DIRECT if principal.type is PrincipalType.ROOT else _ACCOUNT
    return _NONE


def _principal_kind(element: PrincipalElement, principal: Principal) -> int:
    if element.wildcard:
        return _DIRECT
    best = _NONE
    for value in element.aws:
        best = max(best, _aws_value_kind(value, principal))
    if (
        (principal.service is not None and principal.service in element.service)
        or (principal.federated is not None and principal.federated in element.federated)
        or (
            principal.canonical_user is not None
            and principal.canonical_user in element.canonical_user
        )
    ):
        best = _DIRECT
    return best


def _not_principal_applies(
    element: PrincipalElement, principal: Principal, allow: bool, has_boundary: bool
) -> bool:
    """NotPrincipal (reference_policies_elements_notprincipal): the statement applies unless
    the principal is listed — for an IAM principal, its account and its own or entity ARN.
    A Deny with NotPrincipal always applies to a principal with a permissions boundary
    (access_policies_boundaries)."""
    if not allow and has_boundary:
        return True
    if element.wildcard:
        return False
    listed = {_root_arn(v) if v.isdigit() else v for v in element.aws}
    if "*" in listed:
        return False
    named = (
        principal.arn in listed
        or (principal.entity_arn is not None and principal.entity_arn in listed)
        or (principal.service is not None and principal.service in element.service)
        or (principal.federated is not None and principal.federated in element.federated)
    )
    account = principal.account
    if account is not None and principal.type is not PrincipalType.ROOT:
        named = named and any(v.endswith(f"::{account}:root") for v in listed)
    return not named


def _scan(
    plan: Plan,
    request: Request,
    missing: list[str],
    allows: list[StatementRef],
    denies: list[StatementRef],
    first_allow: bool = False,
) -> None:
    """Collect the statements of ``plan`` that apply. With ``first_allow``, stop at the first
    applicable Allow when no Deny applied (plans list Deny statements first)."""
    ctx = request.context
    for st, check_resource in plan:
        if check_resource:
            hit = False
            for pattern in st.resources:
                if pattern.matches(request.resource, request.resource_fields, ctx):
                    hit = True
                    break
            if hit == st.not_resource:
                continue
        conditions = st.conditions
        if conditions:
            for lower, written in st.reported_keys:
                if lower not in ctx:
                    missing.append(written)
            holds = True
            for condition in conditions:
                if not condition.holds(ctx):
                    holds = False
                    break
            if not holds:
                continue
        if st.allow:
            allows.append(st.ref)
            if first_allow and not denies:
                return
        else:
            denies.append(st.ref)


def _scan_resource(
    policy: CompiledPolicy, request: Request, has_boundary: bool, missing: list[str]
) -> tuple[list[tuple[StatementRef, int]], list[StatementRef]]:
    allows: list[StatementRef] = []
    denies: list[StatementRef] = []
    kinds: dict[StatementRef, int] = {}
    principal = request.principal
    candidates: list[tuple[CompiledStatement, bool]] = []
    for st, check in policy.plan(request.action_lower, request.resource, request.resource_fields):
        if st.principal is not None:
            kind = _principal_kind(st.principal, principal)
        elif st.not_principal is not None:
            applies = _not_principal_applies(st.not_principal, principal, st.allow, has_boundary)
            kind = _DIRECT if applies else _NONE
        else:
            kind = _NONE
        if kind != _NONE:
            kinds[st.ref] = kind
            candidates.append((st, check))
    _scan(tuple(candidates), request, missing, allows, denies)
    return [(ref, kinds[ref]) for ref in allows], denies


def _scan_group(
    policies: tuple[CompiledPolicy, ...], request: Request, missing: list[str], explain: bool
) -> tuple[list[StatementRef], list[StatementRef]]:
    allows: list[StatementRef] = []
    denies: list[StatementRef] = []
    for policy in policies:
        plan = policy.plan(request.action_lower, request.resource, request.resource_fields)
        if allows and not explain:  # settled unless a later policy denies: look at Deny only
            plan = tuple(pair for pair in plan if not pair[0].allow)
        _scan(plan, request, missing, allows, denies, not explain)
    return allows, denies


_NOT_IAM = frozenset(
    {
        PrincipalType.SERVICE,
        PrincipalType.WEB_IDENTITY,
        PrincipalType.SAML,
        PrincipalType.ANONYMOUS,
    }
)


def authorize(request: Request, policies: PolicySet, *, explain: bool = False) -> Decision:
    """Decide ``request`` against ``policies`` as AWS does (see the module docstring).

    With ``explain`` (the simulator's mode) every applicable statement is examined, so
    ``Decision.matched`` lists all of them and ``missing_context_keys`` is complete. Without it
    the decision is the same, but once no Deny applies the scan of each kind of policy stops at
    its first applicable Allow: ``matched`` then names the Allow statements that settled it and
    ``missing_context_keys`` the keys met on the way.
    """
    missing: list[str] = []
    id_allows: list[StatementRef] = []
    id_denies: list[StatementRef] = []
    _scan(policies.identity_plan(request), request, missing, id_allows, id_denies, not explain)
    if policies.boundary is None and policies.session is None and policies.resource is None:
        # The common case: identity-based policies alone (one account, no session).
        principal = request.principal
        missing_keys = tuple(dict.fromkeys(missing)) if missing else ()
        if id_denies:
            return Decision(
                EvalDecision.EXPLICIT_DENY, tuple(id_denies), missing_keys, DenyKind.IDENTITY
            )
        ptype = principal.type
        owner = policies.resource_owner or request.resource_account
        if (
            principal.account is not None
            and ptype not in _NOT_IAM
            and ptype is not PrincipalType.FEDERATED_USER
            and (owner is None or owner == principal.account)
        ):
            if id_allows or ptype is PrincipalType.ROOT:
                return Decision(EvalDecision.ALLOWED, tuple(id_allows), missing_keys)
            return Decision(EvalDecision.IMPLICIT_DENY, (), missing_keys, DenyKind.IDENTITY)
    return _decide(request, policies, missing, id_allows, id_denies, explain)


def _decide(
    request: Request,
    policies: PolicySet,
    missing: list[str],
    id_allows: list[StatementRef],
    id_denies: list[StatementRef],
    explain: bool,
) -> Decision:
    principal = request.principal
    boundary = policies.boundary
    pb_allows, pb_denies = (
        _scan_group(boundary, request, missing, explain) if boundary is not None else ([], [])
    )
    session = policies.session
    se_allows, se_denies = (
        _scan_group(session, request, missing, explain) if session is not None else ([], [])
    )
    resource = policies.resource
    is_trust = resource is not None and resource.policy_type is PolicyType.TRUST
    rp_allows: list[tuple[StatementRef, int]] = []
    rp_denies: list[StatementRef] = []
    if resource is not None:
        rp_allows, rp_denies = _scan_resource(resource, request, boundary is not None, missing)
    missing_keys = tuple(dict.fromkeys(missing))
    boundary_ok = boundary is None or bool(pb_allows)
    allowed_by_boundary = None if boundary is None else bool(pb_allows) and not pb_denies

    resource_kind = DenyKind.TRUST if is_trust else DenyKind.RESOURCE
    for denies, kind in (
        (id_denies, DenyKind.IDENTITY),
        (rp_denies, resource_kind),
        (pb_denies, DenyKind.BOUNDARY),
        (se_denies, DenyKind.SESSION),
    ):
        if denies:
            everything = (*id_denies, *rp_denies, *pb_denies, *se_denies)
            return Decision(
                EvalDecision.EXPLICIT_DENY, everything, missing_keys, kind, allowed_by_boundary
            )

    ptype = principal.type
    if ptype is PrincipalType.FEDERATED_USER:
        session_ok = bool(se_allows)
    else:
        session_ok = session is None or bool(se_allows)
    iam_principal = principal.account is not None and ptype not in _NOT_IAM
    identity_ok = iam_principal and (bool(id_allows) or ptype is PrincipalType.ROOT)
    identity_path = identity_ok and boundary_ok and session_ok

    best = max((kind for _, kind in rp_allows), default=_NONE)
    direct = best == _DIRECT
    via_entity = best >= _ENTITY and any(k == _ENTITY for _, k in rp_allows)
    owner = policies.resource_owner or request.resource_account or principal.account
    same_account = iam_principal and owner == principal.account
    resource_grant = direct or (via_entity and boundary_ok and session_ok)
    if not iam_principal:
        allowed = direct
    elif same_account and not is_trust:
        allowed = resource_grant or identity_path
    elif same_account:
        allowed = resource_grant or (identity_path and best >= _ACCOUNT)
    else:
        allowed = identity_path and best >= _ACCOUNT

    if allowed:
        matched = (*id_allows, *(ref for ref, _ in rp_allows)) if identity_path else ()
        if not matched:
            matched = tuple(ref for ref, _ in rp_allows)
        return Decision(EvalDecision.ALLOWED, matched, missing_keys, None, allowed_by_boundary)

    if not iam_principal:
        reason = resource_kind
    elif not identity_ok:
        reason = DenyKind.IDENTITY
    elif not boundary_ok:
        reason = DenyKind.BOUNDARY
    elif not session_ok:
        reason = DenyKind.SESSION
    else:
        reason = resource_kind
    matched = (*id_allows, *(ref for ref, _ in rp_allows))
    return Decision(EvalDecision.IMPLICIT_DENY, matched, missing_keys, reason, allowed_by_boundary)
