"""Whether a principal may assume a role: the role trust policy, evaluated by the policy engine
as the role's resource-based policy, together with the caller's own policies ("How IAM roles
differ from resource-based policies", id_roles_compare-resource-policies; "Cross-account policy
evaluation logic", reference_policies_evaluation-logic-cross-account).

Within the role's account a trust policy that names the caller (or its role, for a role
session) is enough; naming the account delegates to the caller's identity-based policies, which
must then allow ``sts:AssumeRole`` on the role. Across accounts both must allow, with the
caller's permissions boundary and session policies. Web-identity and SAML callers have no
identity policies: the trust policy alone decides.

A role that does not exist is judged against an empty trust policy, so the answer is the same
AccessDenied as for a role that does not trust the caller (no oracle for role names). The trust
policy is evaluated as of now: a user or role it names that has been deleted (and perhaps
recreated under the same name) is held by its old unique id, which matches nobody
(:mod:`iamd.services.iam.trust_principals`).
"""

from __future__ import annotations

from collections.abc import Mapping

from iamd.arn import Arn, ArnError
from iamd.domain import Role, Tag
from iamd.errors import AccessDenied, ValidationError
from iamd.policy import (
    CompiledPolicy,
    Decision,
    PolicyDocument,
    PolicyKind,
    PolicySet,
    PolicyType,
    Request,
    access_denied_message,
    authorize,
    compile_policy,
)
from iamd.policy import Principal as EnginePrincipal
from iamd.policy import PrincipalType as EnginePrincipalType
from iamd.services.context import Call
from iamd.services.iam.role_lookups import ROLE_TAG_KIND, role_by_arn
from iamd.services.iam.trust_principals import trust_policy_now
from iamd.services.sts.session_inputs import SessionTags, tags_context

__all__ = [
    "checked_role",
    "denial",
    "federated_trust",
    "resource_tag_context",
    "role_trust",
    "trust_decision",
]

_NO_TRUST = compile_policy(
    PolicyDocument(PolicyKind.TRUST, "2012-10-17", None, (), ""), "none", PolicyType.TRUST
)


def checked_role(call: Call, role_arn: str) -> Role | None:
    """The role ``role_arn`` names, or None when there is none.

    An ARN of another kind of IAM resource is ValidationError "Request ARN is invalid" (AWS's
    answer, quoted in physera/onelogin-aws-cli#12); anything else that names no role is
    answered later as AccessDenied, as AWS answers a malformed role ARN (99designs/aws-vault#668).
    """
    try:
        arn = Arn.parse(role_arn)
    except ArnError:
        return None
    if arn.service == "iam" and arn.resource_type not in ("role", arn.resource):
        raise ValidationError("Request ARN is invalid")
    if arn.region:
        return None
    return role_by_arn(call.uow, role_arn)


def resource_tag_context(
    tags: tuple[Tag, ...], transitive: Mapping[str, str] | None = None
) -> dict[str, tuple[str, ...]]:
    """``aws:ResourceTag/*`` and ``iam:ResourceTag/*`` of the role. "In role chaining, the value
    of a transitive tag overrides the role matching ResourceTag value before the evaluation of
    the role trust policy" (id_session-tags)."""
    merged = {tag.key.lower(): tag.value for tag in tags}
    for key, value in (transitive or {}).items():
        if key.lower() in merged:
            merged[key.lower()] = value
    context: dict[str, tuple[str, ...]] = {}
    for key, value in merged.items():
        context[f"aws:resourcetag/{key}"] = (value,)
        context[f"iam:resourcetag/{key}"] = (value,)
    return context


def role_trust(call: Call, role: Role | None) -> CompiledPolicy:
    """The role's trust policy as of now, compiled; an empty one for a role that does not
    exist. One lookup per user or role the policy names by ARN, none when it names none."""
    if role is None:
        return _NO_TRUST
    if not role.trust_principal_ids:
        return call.deps.compiled.get(
            role.assume_role_policy, role.id, PolicyType.TRUST, kind=PolicyKind.TRUST
        )
    return call.deps.compiled.get(
        trust_policy_now(call.uow, role),
        role.id,
        PolicyType.TRUST,
        kind=PolicyKind.TRUST,
        unique_ids=True,
    )


def trust_decision(
    call: Call,
    role: Role | None,
    role_arn: str,
    action: str,
    principal: EnginePrincipal,
    caller_policies: PolicySet,
    context: Mapping[str, tuple[str, ...]],
    *,
    trust: CompiledPolicy | None = None,
) -> Decision:
    """The engine's decision on ``action`` (``sts:AssumeRole``, ``sts:TagSession``, ...) on the
    role for ``principal``, with the caller's policies and the role's trust policy (``trust``,
    from :func:`role_trust`, when the caller decides several actions)."""
    if trust is None:
        trust = role_trust(call, role)
    owner = None
    if role is not None:
        owner = role.account_id
    else:
        try:
            owner = Arn.parse(role_arn).account or None
        except ArnError:
            owner = None
    policies = PolicySet(
        identity=caller_policies.identity,
        boundary=caller_policies.boundary,
        session=caller_policies.session,
        resource=trust,
        resource_owner=owner or "000000000000",
    )
    resource = role.arn if role is not None else role_arn
    return authorize(Request(principal, action, resource, owner, context), policies)


def denial(caller_arn: str, action: str, role_arn: str, decision: Decision) -> AccessDenied:
    """AWS's AccessDenied for a refused assume-role action ("Troubleshooting access denied error
    messages", troubleshoot_access-denied, role trust policies)."""
    return AccessDenied(access_denied_message(caller_arn, action, role_arn, decision))


def federated_trust(
    call: Call,
    role: Role | None,
    role_arn: str,
    *,
    action: str,
    principal_type: EnginePrincipalType,
    provider_arn: str,
    session_name: str,
    tags: SessionTags,
    source_identity: str | None,
    context: dict[str, tuple[str, ...]],
) -> Role:
    """AssumeRoleWithWebIdentity and AssumeRoleWithSAML: the role's trust policy alone decides,
    for the federated principal ``provider_arn``, ``action`` — and ``sts:TagSession`` when the
    request passes session tags, ``sts:SetSourceIdentity`` when it sets a source identity.
    ``context`` (the provider's keys) gains the session tags, ``sts:RoleSessionName``,
    ``aws:FederatedProvider``, ``sts:SourceIdentity`` and the role's tags. Every refusal, and a
    role that does not exist, is AWS's AccessDenied "Not authorized to perform <action>"."""
    context.update(tags_context(tags))
    context["sts:rolesessionname"] = (session_name,)
    context["aws:federatedprovider"] = (provider_arn,)
    if source_identity is not None:
        context["sts:sourceidentity"] = (source_identity,)
    if role is not None:
        context.update(resource_tag_context(call.uow.tags.get(ROLE_TAG_KIND, role.id)))
    principal = EnginePrincipal(principal_type, provider_arn, None, federated=provider_arn)
    actions = [action]
    if tags.passed_keys:
        actions.append("sts:TagSession")
    if source_identity is not None:
        actions.append("sts:SetSourceIdentity")
    if role is None:
        raise AccessDenied(f"Not authorized to perform {action}")
    trust = role_trust(call, role)
    for each in actions:
        decision = trust_decision(
            call, role, role_arn, each, principal, PolicySet(), context, trust=trust
        )
        if not decision.allowed:
            raise AccessDenied(f"Not authorized to perform {action}")
    return role
