"""Every call decided by the policy engine ("Policy evaluation logic",
reference_policies_evaluation-logic): the principal's identity-based policies and permissions
boundary from the store, the request context iamd fills, and AWS's AccessDenied message.

Which policies apply to a principal is kept per principal and trusted while the account's change
counter is unchanged (any write in the account, on any node, bumps it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from iamd.domain import PolicyOwnerKind, PrincipalType, Tag
from iamd.policy import (
    CompiledPolicy,
    Decision,
    PolicySet,
    PolicyType,
    Request,
    access_denied_message,
    authorize,
)
from iamd.policy import Principal as EnginePrincipal
from iamd.policy import PrincipalType as EnginePrincipalType
from iamd.services.context import Call
from iamd.services.policy_cache import CompiledPolicies
from iamd.services.registry import AuthzCheck
from iamd.storage import UnitOfWork

__all__ = ["PolicyAuthorizer", "PrincipalPolicies", "engine_principal"]

_ENGINE_TYPES = {
    PrincipalType.ROOT: EnginePrincipalType.ROOT,
    PrincipalType.USER: EnginePrincipalType.USER,
    PrincipalType.ASSUMED_ROLE: EnginePrincipalType.ASSUMED_ROLE,
    PrincipalType.FEDERATED_USER: EnginePrincipalType.FEDERATED_USER,
}


@dataclass(frozen=True, slots=True)
class PrincipalPolicies:
    """What the engine needs to know of a principal, as stored."""

    policies: PolicySet
    tags: tuple[Tag, ...]
    version: int | None


def engine_principal(call: Call) -> EnginePrincipal:
    caller = call.caller
    return EnginePrincipal(
        type=_ENGINE_TYPES[caller.type],
        arn=caller.arn,
        account=caller.account_id,
        entity_arn=None,
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
    if user is not None and user.permissions_boundary_arn is not None:
        boundary = _boundary(uow, compiled, user.permissions_boundary_arn)
    return tuple(found), boundary


def _managed(
    uow: UnitOfWork,
    compiled: CompiledPolicies,
    kind: PolicyOwnerKind,
    owner_id: str,
    policy_type: PolicyType,
) -> list[CompiledPolicy]:
    out = []
    for attached in uow.policies.all_attached(kind, owner_id):
        version = uow.policies.default_version(attached.arn)
        if version is not None:
            out.append(
                compiled.get(
                    version.document,
                    attached.name,
                    policy_type,
                    aws_managed=attached.arn.startswith("arn:aws:iam::aws:"),
                )
            )
    return out


def _boundary(uow: UnitOfWork, compiled: CompiledPolicies, arn: str) -> tuple[CompiledPolicy, ...]:
    version = uow.policies.default_version(arn)
    if version is None:
        return ()  # a boundary whose policy is gone allows nothing
    name = arn.rsplit("/", 1)[-1]
    return (compiled.get(version.document, name, PolicyType.PERMISSIONS_BOUNDARY),)


class PolicyAuthorizer:
    def __init__(self, compiled: CompiledPolicies, max_principals: int = 10_000) -> None:
        self.compiled = compiled
        self._principals: OrderedDict[tuple[str, str], PrincipalPolicies] = OrderedDict()
        self._max = max_principals
        self._lock = threading.Lock()

    # -- the principal's policies -----------------------------------------------------------

    def principal_policies(self, call: Call) -> PrincipalPolicies:
        caller = call.caller
        if caller.type is PrincipalType.ROOT or caller.entity_id is None:
            return PrincipalPolicies(PolicySet(), (), call.account_version)
        key = (caller.account_id, caller.entity_id)
        version = call.account_version
        with self._lock:
            cached = self._principals.get(key)
        if cached is not None and version is not None and cached.version == version:
            return cached
        loaded = self._load(call)
        with self._lock:
            self._principals[key] = loaded
            self._principals.move_to_end(key)
            while len(self._principals) > self._max:
                self._principals.popitem(last=False)
        return loaded

    def _load(self, call: Call) -> PrincipalPolicies:
        caller = call.caller
        entity = caller.entity_id or ""
        identity, boundary = identity_policies(call.uow, self.compiled, caller.account_id, entity)
        tags = call.uow.tags.get("user", entity) if caller.type is PrincipalType.USER else ()
        return PrincipalPolicies(
            PolicySet(identity=identity, boundary=boundary), tags, call.account_version
        )

    # -- deciding ---------------------------------------------------------------------------

    def decide(self, call: Call, check: AuthzCheck, params: Mapping[str, Any]) -> Decision:
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
        "aws:principalarn": (caller.arn,),
        "aws:principalaccount": (caller.account_id,),
        "aws:principaltype": (caller.type.value,),
        "aws:userid": (caller.user_id,),
        "aws:requestedregion": (info.region,),
        "aws:viaawsservice": ("false",),
    }
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
