"""AssumeRole (STS API Reference, AssumeRole; "Using IAM roles", id_roles_use; "Passing
session tags in AWS STS", id_session-tags; "Monitor and control actions taken with assumed
roles", id_credentials_temp_control-access_monitor).

The pipeline does not authorize this operation by itself: the decision needs the role's trust
policy, so the handler asks the engine with the caller's policies *and* the trust policy as the
role's resource-based policy, with the request context of an assume-role call —
``sts:ExternalId``, ``sts:RoleSessionName``, ``sts:SourceIdentity``, ``sts:TransitiveTagKeys``,
``aws:RequestTag/*``, ``aws:TagKeys``, ``aws:PrincipalTag/*``, ``aws:PrincipalArn``, the role's
``aws:ResourceTag/*`` and ``aws:MultiFactorAuthPresent``/``Age`` (from SerialNumber and
TokenCode, or from the calling session). Passing session tags also needs ``sts:TagSession``,
setting a source identity ``sts:SetSourceIdentity``.

Caller rules: the root user cannot assume roles ("Roles may not be assumed by root accounts.",
AWS's answer quoted in kubeflow/testing#961); a federated user cannot call STS but
GetCallerIdentity (id_credentials_temp_request#stsapi_comparison); a caller using temporary
credentials is role chaining, limited to one hour, and passes on its transitive tags and its
source identity, which cannot change.

``MinimumSessionTokenSize`` is accepted and not acted on: iamd's tokens are not padded.
``ProvidedContexts`` (trusted context assertions of IAM Identity Center) cannot be valid in
iamd, which has no context provider: InvalidContextAssertion.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.domain import PrincipalType
from iamd.errors import AccessDenied, InvalidContextAssertion, ValidationError
from iamd.services.authorization import (
    caller_policies,
    principal_for_engine,
    request_context,
)
from iamd.services.context import Call
from iamd.services.registry import AuthzCheck, sts_operation
from iamd.services.sts.issuing import role_session_seconds
from iamd.services.sts.mfa import verified_mfa
from iamd.services.sts.role_sessions import RoleSession, issue_role_session
from iamd.services.sts.session_inputs import (
    checked_session_policies,
    checked_session_tags,
    tags_context,
)
from iamd.services.sts.trust import (
    checked_role,
    denial,
    resource_tag_context,
    role_trust,
    trust_decision,
)

__all__ = ["assume_role", "checked_source_identity"]

_ROOT_REFUSED = "Roles may not be assumed by root accounts."


def checked_source_identity(given: str | None, inherited: str | None) -> str | None:
    """SourceIdentity: "You cannot use a value that begins with the text aws:"; once set in a
    role chain it "cannot be changed" (wording of both refusals inferred)."""
    if given is not None and given.lower().startswith("aws:"):
        raise ValidationError(
            "1 validation error detected: Value at 'sourceIdentity' failed to satisfy "
            "constraint: Member must not begin with the reserved prefix aws:"
        )
    if inherited is not None and given is not None and given != inherited:
        raise AccessDenied(
            "The source identity of a role session cannot be changed in a role chain."
        )
    return inherited if inherited is not None else given


def _refuse_caller(call: Call, role_arn: str) -> None:
    caller = call.caller
    if caller.type is PrincipalType.ROOT:
        raise AccessDenied(_ROOT_REFUSED)
    if caller.type is PrincipalType.FEDERATED_USER:
        raise AccessDenied(
            f"User: {caller.arn} is not authorized to perform: sts:AssumeRole on resource: "
            f"{role_arn}"
        )


@sts_operation("AssumeRole", authorized=False)
def assume_role(
    call: Call,
    *,
    role_arn: str,
    role_session_name: str,
    policy_arns: Sequence[Mapping[str, Any]] | None = None,
    policy: str | None = None,
    duration_seconds: int | None = None,
    tags: Sequence[Mapping[str, Any]] | None = None,
    transitive_tag_keys: Sequence[str] | None = None,
    external_id: str | None = None,
    serial_number: str | None = None,
    token_code: str | None = None,
    source_identity: str | None = None,
    provided_contexts: Sequence[Mapping[str, Any]] | None = None,
    minimum_session_token_size: int | None = None,
) -> Mapping[str, object]:
    caller = call.caller
    _refuse_caller(call, role_arn)
    if provided_contexts:
        # Trusted context assertions come from AWS IAM Identity Center, which iamd does not
        # have: no assertion can be valid (iamd's wording).
        raise InvalidContextAssertion(
            "The context assertion is not valid: this server has no trusted context providers."
        )
    session = caller.sts
    session_tags = checked_session_tags(
        tags,
        transitive_tag_keys,
        inherited=session.tags if session else (),
        inherited_transitive=session.transitive_tag_keys if session else (),
    )
    source = checked_source_identity(source_identity, session.source_identity if session else None)
    role = checked_role(call, role_arn)
    mfa_at = verified_mfa(call, serial_number, token_code)
    if mfa_at is None and session is not None and session.mfa_authenticated:
        mfa_at = session.mfa_authenticated_at or session.issued_at

    principal = caller_policies(call)
    check = AuthzCheck("sts:AssumeRole", role_arn)
    context: dict[str, tuple[str, ...]] = dict(
        request_context(call, principal.tags, check, {"tags": list(tags or ())})
    )
    context.update(tags_context(session_tags))
    context["sts:rolesessionname"] = (role_session_name,)
    if external_id is not None:
        context["sts:externalid"] = (external_id,)
    if source_identity is not None:
        context["sts:sourceidentity"] = (source_identity,)
    if mfa_at is not None:
        context["aws:multifactorauthpresent"] = ("true",)
        context["aws:multifactorauthage"] = (str(int((call.now - mfa_at).total_seconds())),)
    if role is not None:
        inherited = dict(session.tags) if session else {}
        kept = {k: v for k, v in inherited.items() if session and k in session.transitive_tag_keys}
        context.update(resource_tag_context(call.uow.tags.get("role", role.id), kept))

    engine_caller = principal_for_engine(caller)
    actions = ["sts:AssumeRole"]
    if session_tags.passed_keys:
        actions.append("sts:TagSession")
    if source_identity is not None and (session is None or session.source_identity is None):
        actions.append("sts:SetSourceIdentity")
    trust = role_trust(call, role)
    for action in actions:
        decision = trust_decision(
            call, role, role_arn, action, engine_caller, principal.policies, context, trust=trust
        )
        if not decision.allowed:
            raise denial(caller.arn, action, role_arn, decision)
    if role is None:  # never reached: an absent role has an empty trust policy
        raise AccessDenied(f"User: {caller.arn} is not authorized to perform: sts:AssumeRole")

    chained = session is not None
    seconds = role_session_seconds(duration_seconds, role.max_session_duration, chained=chained)
    session_policy, arns = checked_session_policies(call.uow, role.account_id, policy, policy_arns)
    return issue_role_session(
        call,
        role,
        role_session_name,
        RoleSession(
            seconds=seconds,
            policy=session_policy,
            policy_arns=arns,
            tags=session_tags,
            source_identity=source,
            mfa_at=mfa_at,
            chained=chained,
        ),
    )
