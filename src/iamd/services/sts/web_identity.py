"""AssumeRoleWithWebIdentity (STS API Reference; "Create a role for OpenID Connect federation",
id_roles_create_for-idp_oidc; "Available keys for AWS web identity federation",
reference_policies_iam-condition-keys#condition-keys-wif).

An unsigned request, as on AWS: the ID token is the credential. It is verified
(:mod:`iamd.services.sts.oidc_tokens`) against the OIDC provider registered *in the role's
account* for the token's issuer, then the role's trust policy decides, with the principal
``{"Federated": "<provider ARN>"}`` and the context keys ``<provider>:sub``, ``<provider>:aud``
(the audience that matched a client id; ``<provider>:oaud`` the same, ``<provider>:azp`` the
``azp`` claim), ``<provider>:amr`` (multivalued), ``sts:RoleSessionName``, and the session tags
and source identity the token carries (``https://aws.amazon.com/tags`` with
``principal_tags``/``transitive_tag_keys``, ``https://aws.amazon.com/source_identity``), which
need ``sts:TagSession`` / ``sts:SetSourceIdentity``. ``<provider>`` is the provider's URL without
``https://``. No other claim becomes a condition key: AWS documents only these.

A trust policy that does not allow is AWS's AccessDenied "Not authorized to perform
sts:AssumeRoleWithWebIdentity" (quoted in aws/aws-sdk-net#1522 and sentry-kubernetes/charts#514).
OAuth 2.0 access tokens (``ProviderId`` of Login with Amazon or Facebook) cannot be verified
without those services: refused (iamd's wording). An ID token may be presented more than once
until it expires — Amazon EKS presents the same projected token many times — so there is no
replay refusal here (unlike SAML assertions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.domain import OidcUrlProblem, oidc_provider_arn, oidc_provider_name
from iamd.errors import InvalidIdentityToken, InvalidParameterValue
from iamd.policy import PrincipalType as EnginePrincipalType
from iamd.services.context import Call
from iamd.services.registry import sts_operation
from iamd.services.sts.issuing import role_session_seconds
from iamd.services.sts.oidc_jwks import federation_keys
from iamd.services.sts.oidc_tokens import WebIdentity, unverified_issuer, verify_id_token
from iamd.services.sts.role_sessions import RoleSession, issue_role_session
from iamd.services.sts.session_inputs import (
    SessionTags,
    checked_session_policies,
    checked_session_tags,
)
from iamd.services.sts.trust import checked_role, federated_trust

__all__ = ["assume_role_with_web_identity", "web_identity_context"]

_TAGS_CLAIM = "https://aws.amazon.com/tags"
_SOURCE_IDENTITY_CLAIM = "https://aws.amazon.com/source_identity"


def web_identity_context(name: str, identity: WebIdentity) -> dict[str, tuple[str, ...]]:
    """The provider's condition keys (lower-cased) for a verified token of provider ``name``."""
    prefix = name.lower()
    context: dict[str, tuple[str, ...]] = {
        f"{prefix}:sub": (identity.subject,),
        f"{prefix}:aud": (identity.audience,),
        f"{prefix}:oaud": (identity.audience,),
    }
    if identity.amr:
        context[f"{prefix}:amr"] = identity.amr
    azp = identity.claims.get("azp")
    if isinstance(azp, str):
        context[f"{prefix}:azp"] = (azp,)
    return context


def _token_tags(claims: Mapping[str, Any]) -> SessionTags:
    """Session tags from the ``https://aws.amazon.com/tags`` claim (id_session-tags)."""
    block = claims.get(_TAGS_CLAIM)
    if block is None:
        return SessionTags()
    if not isinstance(block, dict):
        raise InvalidIdentityToken(f"Invalid claim: {_TAGS_CLAIM}")  # inferred wording
    given: list[dict[str, str]] = []
    for key, values in (block.get("principal_tags") or {}).items():
        value = values[0] if isinstance(values, list) and len(values) == 1 else values
        if not isinstance(value, str):
            raise InvalidIdentityToken(f"Invalid claim: {_TAGS_CLAIM}")
        given.append({"key": str(key), "value": value})
    transitive = block.get("transitive_tag_keys") or []
    if not isinstance(transitive, list):
        raise InvalidIdentityToken(f"Invalid claim: {_TAGS_CLAIM}")
    return checked_session_tags(given, [str(k) for k in transitive])


@sts_operation("AssumeRoleWithWebIdentity", unsigned=True, authorized=False)
def assume_role_with_web_identity(
    call: Call,
    *,
    role_arn: str,
    role_session_name: str,
    web_identity_token: str,
    provider_id: str | None = None,
    policy_arns: Sequence[Mapping[str, Any]] | None = None,
    policy: str | None = None,
    duration_seconds: int | None = None,
    minimum_session_token_size: int | None = None,
) -> Mapping[str, object]:
    if provider_id is not None:
        raise InvalidParameterValue(
            f"ProviderId {provider_id} is not supported: iamd verifies OpenID Connect ID tokens "
            "of OIDC providers registered in IAM"
        )
    role = checked_role(call, role_arn)
    account = role_arn.split(":")[4] if role_arn.count(":") >= 5 else ""
    issuer = unverified_issuer(web_identity_token)
    try:
        name = oidc_provider_name(issuer)
    except OidcUrlProblem:
        raise InvalidIdentityToken(
            f"No OpenIDConnect provider found in your account for {issuer}"
        ) from None
    provider = call.uow.oidc_providers.get(oidc_provider_arn(account, name))
    if provider is None or provider.issuer != issuer:
        raise InvalidIdentityToken(f"No OpenIDConnect provider found in your account for {issuer}")
    identity = verify_id_token(
        web_identity_token,
        issuer=issuer,
        client_ids=provider.client_ids,
        keys=call.deps.jwks or federation_keys({}),
        now=call.now,
    )
    tags = _token_tags(identity.claims)
    source = identity.claims.get(_SOURCE_IDENTITY_CLAIM)
    source_identity = source if isinstance(source, str) else None

    role = federated_trust(
        call,
        role,
        role_arn,
        action="sts:AssumeRoleWithWebIdentity",
        principal_type=EnginePrincipalType.WEB_IDENTITY,
        provider_arn=provider.arn,
        session_name=role_session_name,
        tags=tags,
        source_identity=source_identity,
        context=web_identity_context(provider.name, identity),
    )

    seconds = role_session_seconds(duration_seconds, role.max_session_duration, chained=False)
    session_policy, arns = checked_session_policies(call.uow, role.account_id, policy, policy_arns)
    result = issue_role_session(
        call,
        role,
        role_session_name,
        RoleSession(
            seconds=seconds,
            policy=session_policy,
            policy_arns=arns,
            tags=tags,
            source_identity=source_identity,
            federated_provider=provider.arn,
        ),
    )
    result["subject_from_web_identity_token"] = identity.subject
    result["provider"] = issuer
    result["audience"] = identity.audience
    return result
