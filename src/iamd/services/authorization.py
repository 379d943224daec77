"""Every call decided by the policy engine ("Policy evaluation logic",
reference_policies_evaluation-logic): the principal's identity-based policies and permissions
boundary from the store, the request context iamd fills, and AWS's AccessDenied message.

Which policies apply to a principal is kept per principal and trusted while the account's change
counter is unchanged (any write in the account, on any node, bumps it).

An STS session's policies ("Session policies", access_policies#policies_session; "Policy
evaluation logic"): a role session has its role's inline and managed policies and boundary, a
federated user or GetSessionToken session its IAM user's; the session policies (inline and
managed ARNs) are ``PolicySet.session``; the principal's tags are its entity's tags with the
session tags over them; the context adds ``aws:TokenIssueTime``,
``aws:MultiFactorAuthPresent``/``Age``, ``aws:SourceIdentity`` and ``aws:FederatedProvider``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from iamd.domain import PolicyOwnerKind, PrincipalType, Tag
from iamd.domain.principals import Principal, SessionInfo
from iamd.policy import (
    CompiledPolicy,
    Decision,
    DenyKind,
    EvalDecision,
    PolicyKind,
    PolicySet,
    PolicyType,
    Request,
    access_denied_message,
    authorize,
)
from iamd.policy import Principal as EnginePrincipal
from iamd.policy import PrincipalType as EnginePrincipalType
from iamd.services.context import Call
from iamd.services.policy_cache import CompiledPolicies, VersionedCache
from iamd.services.registry import AuthzCheck
from iamd.services.session_rules import session_context, session_refuses
from iamd.storage import UnitOfWork

__all__ = [
    "PolicyAuthorizer",
    "PrincipalPolicies",
    "caller_policies",
    "engine_principal",
    "load_principal_policies",
    "principal_arn_key",
    "request_context",
]

_ENGINE_TYPES = {
    PrincipalType.ROOT: EnginePrincipalType.ROOT,
    PrincipalType.USER: EnginePrincipalType.USER,
    PrincipalType.ASSUMED_ROLE: EnginePrincipalType.ASSUMED_ROLE,
    PrincipalType.FEDERATED_USER: EnginePrincipalType.FEDERATED_USER,
    PrincipalType.ANONYMOUS: EnginePrincipalType.ANONYMOUS,
}
_ROLE_TAG_KIND = "role"
_USER_TAG_KIND = "user"
_ALLOW_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'


@dataclass(frozen=True, slots=True)
class PrincipalPolicies:
    """What the engine needs to know of a principal, as stored."""

    policies: PolicySet
    tags: tuple[Tag, ...]
    version: int | None


def engine_principal(call: Call) -> EnginePrincipal:
    return principal_for_engine(call.caller)


def principal_for_engine(caller: Principal) -> EnginePrincipal:
    """The engine's view of a caller. A role session's entity is its role, a federated user's
    the IAM user who federated it: a resource-based policy naming that entity applies to the
    session, subject to its boundary and session policies (reference_policies_evaluation-logic)."""
    entity = None
    if caller.sts is not None and caller.type in (
        PrincipalType.ASSUMED_ROLE,
        PrincipalType.FEDERATED_USER,
    ):
        entity = caller.sts.issuer_arn
    return EnginePrincipal(
        type=_ENGINE_TYPES[caller.type],
        arn=caller.arn,
        account=caller.account_id or None,
        entity_arn=entity,
    )


def identity_policies(
    uow: UnitOfWork, compiled: CompiledPolicies, account_id: str, user_id: str
) -> tuple[tuple[CompiledPolicy, ...], tuple[CompiledPolicy, ...] | None]:
    """A user's identity-based policies (its own and its groups', inline and managed) and its
    permissions boundary ("Identity-based policies", access_policies_identity-vs-resource)."""
    found: list[CompiledPolicy] = []
    for inline in uow.inline_policies.all(PolicyOwnerKind.USER, user_id):
        found.append(compiled.get(inline.document, inline.name, PolicyType.USER_INLINE))
    found.extend(_managed(uow, compiled, PolicyOwnerKind.USER, user_id, PolicyType.USER_MANAGED))
    for group in uow.groups.all_groups_for_user(account_id, user_id):
        for inline in uow.inline_policies.all(PolicyOwnerKind.GROUP, group.id):
            found.append(compiled.get(inline.document, inline.name, PolicyType.GROUP_INLINE))
        found.extend(
            _managed(uow, compiled, PolicyOwnerKind.GROUP, group.id, PolicyType.GROUP_MANAGED)
        )
    user = uow.users.get_by_id(account_id, user_id)
    boundary = None
    if user is not None:
        if user.permissions_boundary_arn is not None:
            boundary = _boundary(uow, compiled, user.permissions_boundary_arn)
        password_policy = uow.password_policies.get(account_id)
        if password_policy is not None and password_policy.allow_users_to_change_password:
            found.append(_own_password_grant(compiled, user.arn))
    return tuple(found), boundary


def _own_password_grant(compiled: CompiledPolicies, user_arn: str) -> CompiledPolicy:
    """The account password policy's "Allow users to change their own password": not a policy
    attached to anyone, but "IAM applies the permissions at the account-level for all users" —
    iam:ChangePassword on the user itself and iam:GetAccountPasswordPolicy
    (id_credentials_passwords_account-policy). Identity denies and boundaries still apply."""
    document = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "iam:ChangePassword", "Resource": user_arn},
                {"Effect": "Allow", "Action": "iam:GetAccountPasswordPolicy", "Resource": "*"},
            ],
        }
    )
    return compiled.get(document, "AccountPasswordPolicy", PolicyType.USER_MANAGED)


def _managed(
    uow: UnitOfWork,
    compiled: CompiledPolicies,
    kind: PolicyOwnerKind,
    owner_id: str,
    policy_type: PolicyType,
) -> list[CompiledPolicy]:
    return [
        compiled.get(
            document,
            attached.name,
            policy_type,
            aws_managed=attached.arn.startswith("arn:aws:iam::aws:"),
        )
        for attached, document in uow.policies.attached_documents(kind, owner_id)
    ]


def _boundary(uow: UnitOfWork, compiled: CompiledPolicies, arn: str) -> tuple[CompiledPolicy, ...]:
    version = uow.policies.default_version(arn)
    if version is None:
        return ()  # a boundary whose policy is gone allows nothing
    name = arn.rsplit("/", 1)[-1]
    return (compiled.get(version.document, name, PolicyType.PERMISSIONS_BOUNDARY),)


def role_policies(
    uow: UnitOfWork, compiled: CompiledPolicies, account_id: str, role_id: str
) -> tuple[tuple[CompiledPolicy, ...], tuple[CompiledPolicy, ...] | None]:
    """A role's identity-based policies (inline and managed) and its permissions boundary."""
    found = [
        compiled.get(inline.document, inline.name, PolicyType.ROLE_INLINE)
        for inline in uow.inline_policies.all(PolicyOwnerKind.ROLE, role_id)
    ]
    found.extend(_managed(uow, compiled, PolicyOwnerKind.ROLE, role_id, PolicyType.ROLE_MANAGED))
    role = uow.roles.get_by_id(account_id, role_id)
    boundary = None
    if role is not None and role.permissions_boundary_arn is not None:
        boundary = _boundary(uow, compiled, role.permissions_boundary_arn)
    return tuple(found), boundary


def session_policies(
    uow: UnitOfWork, compiled: CompiledPolicies, session: SessionInfo
) -> tuple[CompiledPolicy, ...] | None:
    """The session policies of a session (inline, then managed by ARN); None when none were
    passed. A managed session policy deleted since allows nothing."""
    if not session.has_session_policies:
        return None
    found: list[CompiledPolicy] = []
    if session.policy is not None:
        found.append(
            compiled.get(session.policy, "session", PolicyType.SESSION, kind=PolicyKind.SESSION)
        )
    for arn in session.policy_arns:
        version = uow.policies.default_version(arn)
        if version is not None:
            found.append(
                compiled.get(
                    version.document,
                    arn.rsplit("/", 1)[-1],
                    PolicyType.SESSION,
                    aws_managed=arn.startswith("arn:aws:iam::aws:"),
                )
            )
    return tuple(found)


def _merged_tags(entity: tuple[Tag, ...], session: tuple[tuple[str, str], ...]) -> tuple[Tag, ...]:
    """ "New session tags override existing assumed role or federated user tags with the same
    tag key, regardless of case" (id_session-tags)."""
    merged = {tag.key.lower(): tag for tag in entity}
    for key, value in session:
        merged[key.lower()] = Tag(key, value)
    return tuple(merged.values())


def load_principal_policies(
    uow: UnitOfWork, compiled: CompiledPolicies, caller: Principal, version: int | None
) -> PrincipalPolicies:
    """Every policy and tag that applies to ``caller``, read from the store."""
    session = caller.sts
    if caller.type is PrincipalType.ANONYMOUS:
        return PrincipalPolicies(PolicySet(), (), version)
    if caller.entity_id is None:  # the root user, or a session the root user made
        identity: tuple[CompiledPolicy, ...] = ()
        if caller.type is PrincipalType.FEDERATED_USER:
            # A federated user of the root user: its session policies alone limit it.
            identity = (compiled.get(_ALLOW_ALL, "root", PolicyType.USER_INLINE),)
        policies = PolicySet(
            identity=identity,
            session=session_policies(uow, compiled, session) if session else None,
        )
        return PrincipalPolicies(
            policies, _merged_tags((), session.tags if session else ()), version
        )
    account, entity = caller.account_id, caller.entity_id
    if caller.type is PrincipalType.ASSUMED_ROLE:
        identity, boundary = role_policies(uow, compiled, account, entity)
        tags = uow.tags.get(_ROLE_TAG_KIND, entity)
    else:
        identity, boundary = identity_policies(uow, compiled, account, entity)
        tags = uow.tags.get(_USER_TAG_KIND, entity)
    if session is None:
        return PrincipalPolicies(PolicySet(identity=identity, boundary=boundary), tags, version)
    return PrincipalPolicies(
        PolicySet(
            identity=identity,
            boundary=boundary,
            session=session_policies(uow, compiled, session),
        ),
        _merged_tags(tags, session.tags),
        version,
    )


def _session_key(session: SessionInfo | None) -> str:
    """What, beyond its entity, decides a principal's policies and tags."""
    if session is None:
        return ""
    digest = hashlib.sha256()
    for part in (session.kind, session.policy or "", *session.policy_arns):
        digest.update(part.encode() + b"\0")
    for key, value in session.tags:
        digest.update(key.encode() + b"\1" + value.encode() + b"\0")
    return digest.hexdigest()


def principal_policies(call: Call) -> PrincipalPolicies:
    """The caller's policies and tags, kept in ``call.deps.principals`` per account change
    counter: the pipeline's authorizer and a handler that decides by itself (AssumeRole, with
    the role's trust policy) share one cache."""
    caller = call.caller
    if caller.sts is None and (caller.type is PrincipalType.ROOT or caller.entity_id is None):
        return PrincipalPolicies(PolicySet(), (), call.account_version)
    key = (caller.account_id, caller.entity_id or "", _session_key(caller.sts))
    cache = call.deps.principals
    found = cache.get(key, call.account_version)
    if found is not None:
        return found
    loaded = load_principal_policies(call.uow, call.deps.compiled, caller, call.account_version)
    cache.put(key, call.account_version, loaded)
    return loaded


class PolicyAuthorizer:
    """Decides the checks of a call with the policy engine, over the principal cache and the
    compiled policies its dependencies hold."""

    def __init__(self, principals: VersionedCache[PrincipalPolicies]) -> None:
        self._principals = principals

    @property
    def hits(self) -> int:
        return self._principals.hits

    @property
    def misses(self) -> int:
        return self._principals.misses

    def principal_policies(self, call: Call) -> PrincipalPolicies:
        return principal_policies(call)

    def clear(self) -> None:
        """Forget every principal (after a write batch failed to commit: what was read inside
        it may carry change counters that were never stored)."""
        self._principals.clear()

    # -- deciding ---------------------------------------------------------------------------

    def decide(self, call: Call, check: AuthzCheck, params: Mapping[str, Any]) -> Decision:
        if session_refuses(call.caller, check):
            return Decision(EvalDecision.IMPLICIT_DENY, denied_by=DenyKind.SESSION)
        principal = self.principal_policies(call)
        request = Request(
            engine_principal(call),
            check.action,
            check.resource,
            None,
            request_context(call, principal.tags, check, params),
        )
        return authorize(request, principal.policies)

    def denial(self, call: Call, check: AuthzCheck, params: Mapping[str, Any]) -> str | None:
        decision = self.decide(call, check, params)
        if decision.allowed:
            return None
        return access_denied_message(call.caller.arn, check.action, check.resource, decision)


def request_context(
    call: Call, principal_tags: tuple[Tag, ...], check: AuthzCheck, params: Mapping[str, Any]
) -> Mapping[str, tuple[str, ...]]:
    """The request context iamd fills ("AWS global condition context keys",
    reference_policies_condition-keys), lower-cased keys."""
    caller = call.caller
    now = call.now
    info = call.request
    context: dict[str, tuple[str, ...]] = {
        "aws:currenttime": (now.strftime("%Y-%m-%dT%H:%M:%SZ"),),
        "aws:epochtime": (str(int(now.timestamp())),),
        "aws:securetransport": ("true" if info.secure_transport else "false",),
        "aws:principalarn": (principal_arn_key(caller),),
        "aws:principalaccount": (caller.account_id,),
        "aws:principaltype": (caller.type.value,),
        "aws:userid": (caller.user_id,),
        "aws:requestedregion": (info.region,),
        "aws:viaawsservice": ("false",),
    }
    if caller.sts is not None:
        context.update(session_context(caller.sts, now))
    if info.source_ip:
        context["aws:sourceip"] = (info.source_ip,)
    if info.user_agent:
        context["aws:useragent"] = (info.user_agent,)
    if caller.type is PrincipalType.USER and caller.name is not None:
        context["aws:username"] = (caller.name,)
    for tag in principal_tags:
        context[f"aws:principaltag/{tag.key.lower()}"] = (tag.value,)
    tags = params.get("tags")
    if isinstance(tags, list):
        keys = []
        for tag in tags:
            context[f"aws:requesttag/{str(tag['key']).lower()}"] = (str(tag.get("value", "")),)
            keys.append(str(tag["key"]))
        context["aws:tagkeys"] = tuple(keys)
    tag_keys = params.get("tag_keys")
    if isinstance(tag_keys, list):
        context["aws:tagkeys"] = tuple(str(k) for k in tag_keys)
    boundary = params.get("permissions_boundary")
    if isinstance(boundary, str):
        context["iam:permissionsboundary"] = (boundary,)
    context.update(check.context)
    return context


caller_policies = principal_policies
"""The caller's policies, for handlers that decide by themselves (AssumeRole)."""


def principal_arn_key(caller: Principal) -> str:
    """``aws:PrincipalArn``: "For IAM roles, the request context returns the ARN of the role,
    not the ARN of the user that assumed the role" (reference_policies_condition-keys)."""
    if caller.sts is not None and caller.type is PrincipalType.ASSUMED_ROLE:
        return caller.sts.issuer_arn
    return caller.arn
