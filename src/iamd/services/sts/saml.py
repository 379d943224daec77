"""AssumeRoleWithSAML (STS API Reference; "Create a role for SAML 2.0 federation",
id_roles_create_for-idp_saml; "Available keys for SAML-based AWS STS federation",
reference_policies_iam-condition-keys#condition-keys-saml).

An unsigned request, as on AWS. The SAML response is verified against the SAML provider
``PrincipalArn`` names (:mod:`iamd.services.sts.saml_assertions`); its ``Role`` attribute must
pair ``RoleArn`` with ``PrincipalArn`` (either order); ``RoleSessionName`` is required,
``SourceIdentity``, ``PrincipalTag:*`` and ``TransitiveTagKeys`` are optional. The trust policy
decides with ``{"Federated": "<provider ARN>"}`` and the ``saml:*`` keys: ``saml:aud`` (the
Recipient), ``saml:iss``, ``saml:sub``, ``saml:sub_type``, ``saml:doc``,
``saml:namequalifier`` = Base64(SHA1(issuer + account + "/" + provider name)), and the
eduPerson, eduOrg, Active Directory and X.500 attributes of the User Guide's mapping table.

Duration: DurationSeconds, else the ``SessionDuration`` attribute, else one hour — never past
the assertion's ``SessionNotOnOrAfter`` ("whichever is shorter").

Replay: an assertion is accepted once. Its id is remembered until it expires, per provider, in
the account's settings, under the account's write lock (so two nodes cannot both accept it);
a second use is InvalidIdentityToken (iamd's decision: SAML 2.0 Profiles 4.1.4.5 asks relying
parties to refuse replayed bearer assertions; AWS does not document its behaviour).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from iamd.arn import Arn, ArnError
from iamd.errors import (
    AccessDenied,
    ExpiredTokenException,
    InvalidIdentityToken,
    ValidationError,
)
from iamd.policy import PrincipalType as EnginePrincipalType
from iamd.services.context import Call
from iamd.services.iam.saml_providers import saml_provider_certificates
from iamd.services.registry import sts_operation
from iamd.services.sts.issuing import role_session_seconds
from iamd.services.sts.role_sessions import RoleSession, issue_role_session
from iamd.services.sts.saml_assertions import SamlAssertion, decoded_response, verified_assertion
from iamd.services.sts.session_inputs import (
    SessionTags,
    checked_session_policies,
    checked_session_tags,
)
from iamd.services.sts.trust import checked_role, federated_trust

__all__ = ["assume_role_with_saml", "saml_context"]

NOT_AUTHORIZED = "Not authorized to perform sts:AssumeRoleWithSAML"
_ATTR = "https://aws.amazon.com/SAML/Attributes/"
_NAME = re.compile(r"[a-zA-Z_0-9+=,.@-]{2,64}")
_REPLAY_KEY = "sts-saml-assertions/"
_REPLAY_LIMIT = 5000

# "Mapping SAML attributes to AWS trust policy context keys" (id_roles_providers_create_saml_
# assertions#saml-attribute-mapping): attribute Name -> context key (lower-cased).
_MAPPED = {
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": "edupersonaffiliation",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.2": "edupersonnickname",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.3": "edupersonorgdn",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.4": "edupersonorgunitdn",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.5": "edupersonprimaryaffiliation",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.6": "edupersonprincipalname",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.7": "edupersonentitlement",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.8": "edupersonprimaryorgunitdn",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.9": "edupersonscopedaffiliation",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.10": "edupersontargetedid",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.11": "edupersonassurance",
    "urn:oid:1.3.6.1.4.1.5923.1.2.1.2": "eduorghomepageuri",
    "urn:oid:1.3.6.1.4.1.5923.1.2.1.3": "eduorgidentityauthnpolicyuri",
    "urn:oid:1.3.6.1.4.1.5923.1.2.1.4": "eduorglegalname",
    "urn:oid:1.3.6.1.4.1.5923.1.2.1.5": "eduorgsuperioruri",
    "urn:oid:1.3.6.1.4.1.5923.1.2.1.6": "eduorgwhitepagesuri",
    "urn:oid:2.5.4.3": "cn",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name": "name",
    "http://schemas.xmlsoap.org/claims/CommonName": "commonname",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": "givenname",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname": "surname",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": "mail",
    "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid": "uid",
    "2.5.4.3": "commonname",
    "2.5.4.4": "surname",
    "2.4.5.42": "givenname",
    "2.5.4.45": "x500uniqueidentifier",
    "0.9.2342.19200300100.1.1": "uid",
    "0.9.2342.19200300100.1.3": "mail",
    "0.9.2342.19200300.100.1.45": "organizationstatus",
}
_SUB_TYPES = {
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent": "persistent",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:transient": "transient",
}


def name_qualifier(issuer: str, account_id: str, provider_name: str) -> str:
    digest = hashlib.sha1(f"{issuer}{account_id}/{provider_name}".encode()).digest()  # noqa: S324 - AWS's formula
    return base64.b64encode(digest).decode("ascii")


def saml_context(
    assertion: SamlAssertion, account_id: str, provider_name: str
) -> dict[str, tuple[str, ...]]:
    """The ``saml:*`` keys of a verified assertion (lower-cased)."""
    sub_type = _SUB_TYPES.get(assertion.name_id_format or "", assertion.name_id_format)
    context: dict[str, tuple[str, ...]] = {
        "saml:aud": (assertion.recipient,),
        "saml:iss": (assertion.issuer,),
        "saml:sub": (assertion.name_id,),
        "saml:doc": (f"{account_id}/{provider_name}",),
        "saml:namequalifier": (name_qualifier(assertion.issuer, account_id, provider_name),),
    }
    if sub_type:
        context["saml:sub_type"] = (sub_type,)
    for attribute in assertion.attributes:
        key = _MAPPED.get(attribute.name)
        if key is not None and f"saml:{key}" not in context:
            context[f"saml:{key}"] = attribute.values
    return context


def _single(assertion: SamlAssertion, name: str) -> str | None:
    values = assertion.attribute(_ATTR + name)
    if values is None:
        return None
    if len(values) != 1:
        raise InvalidIdentityToken(f"{name} in AuthnResponse must have one value")  # inferred
    return values[0]


def _session_name(assertion: SamlAssertion) -> str:
    name = _single(assertion, "RoleSessionName")
    if name is None:
        raise InvalidIdentityToken("RoleSessionName is required in AuthnResponse")
    if not _NAME.fullmatch(name):
        raise InvalidIdentityToken(
            "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"
        )
    return name


def _source_identity(assertion: SamlAssertion) -> str | None:
    value = _single(assertion, "SourceIdentity")
    if value is not None and (not _NAME.fullmatch(value) or value.lower().startswith("aws:")):
        raise InvalidIdentityToken(
            'Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"'
        )
    return value


def _tags(assertion: SamlAssertion) -> SessionTags:
    given = []
    for attribute in assertion.attributes:
        if attribute.name.startswith(_ATTR + "PrincipalTag:"):
            key = attribute.name[len(_ATTR + "PrincipalTag:") :]
            given.append({"key": key, "value": attribute.values[0] if attribute.values else ""})
    transitive = assertion.attribute(_ATTR + "TransitiveTagKeys") or ()
    return checked_session_tags(given, list(transitive))


def _role_pairs(assertion: SamlAssertion) -> set[frozenset[str]]:
    pairs = set()
    for value in assertion.attribute(_ATTR + "Role") or ():
        parts = [p.strip() for p in value.split(",")]
        if len(parts) == 2:
            pairs.add(frozenset(parts))
    return pairs


def _seconds(assertion: SamlAssertion, duration_seconds: int | None) -> int | None:
    if duration_seconds is not None:
        return duration_seconds
    value = _single(assertion, "SessionDuration")
    if value is None:
        return None
    if not value.isdigit() or not 900 <= int(value) <= 43_200:
        raise InvalidIdentityToken("SessionDuration in AuthnResponse must be 900 to 43200")
    return int(value)


def _remember(call: Call, account_id: str, provider_name: str, assertion: SamlAssertion) -> None:
    """Refuses an assertion seen before; remembers this one until it expires."""
    digest = hashlib.sha256(f"{assertion.issuer}\0{assertion.id}".encode()).hexdigest()[:32]
    key = _REPLAY_KEY + provider_name
    now = call.now.timestamp()
    with call.deps.store.unit_of_work(write=True) as uow:
        uow.lock_account(account_id)
        text = uow.account_settings.get(account_id, key)
        seen: dict[str, float] = json.loads(text) if text else {}
        seen = {d: exp for d, exp in seen.items() if exp > now}
        if digest in seen:
            raise InvalidIdentityToken("The SAML assertion has already been used")  # iamd's
        seen[digest] = assertion.not_on_or_after.timestamp()
        if len(seen) > _REPLAY_LIMIT:
            seen = dict(sorted(seen.items(), key=lambda item: item[1])[-_REPLAY_LIMIT:])
        uow.account_settings.put(account_id, key, json.dumps(seen, separators=(",", ":")))


@sts_operation("AssumeRoleWithSAML", unsigned=True, authorized=False)
def assume_role_with_saml(
    call: Call,
    *,
    role_arn: str,
    principal_arn: str,
    saml_assertion: str,
    policy_arns: Sequence[Mapping[str, Any]] | None = None,
    policy: str | None = None,
    duration_seconds: int | None = None,
    minimum_session_token_size: int | None = None,
) -> Mapping[str, object]:
    role = checked_role(call, role_arn)
    try:
        provider_arn = Arn.parse(principal_arn)
    except ArnError:
        raise ValidationError("Request ARN is invalid") from None
    if provider_arn.service != "iam" or provider_arn.resource_type != "saml-provider":
        raise ValidationError("Request ARN is invalid")
    account, provider_name = provider_arn.account, provider_arn.resource.split("/", 1)[1]
    metadata = saml_provider_certificates(call.uow, principal_arn)
    if metadata is None:
        raise InvalidIdentityToken("Specified provider doesn't exist.")
    if metadata.valid_until is not None and call.now >= metadata.valid_until:
        raise InvalidIdentityToken("The SAML provider's metadata has expired")  # inferred
    assertion = verified_assertion(
        decoded_response(saml_assertion),
        certificates=metadata.signing_certificates,
        entity_id=metadata.entity_id,
        now=call.now,
    )
    if frozenset((role_arn, principal_arn)) not in _role_pairs(assertion):
        raise AccessDenied(NOT_AUTHORIZED)
    session_name = _session_name(assertion)
    source_identity = _source_identity(assertion)
    tags = _tags(assertion)

    context = saml_context(assertion, account, provider_name)
    role = federated_trust(
        call,
        role,
        role_arn,
        action="sts:AssumeRoleWithSAML",
        principal_type=EnginePrincipalType.SAML,
        provider_arn=principal_arn,
        session_name=session_name,
        tags=tags,
        source_identity=source_identity,
        context=context,
    )

    requested = _seconds(assertion, duration_seconds)
    seconds = role_session_seconds(requested, role.max_session_duration, chained=False)
    if assertion.session_not_on_or_after is not None:
        left = int((assertion.session_not_on_or_after - call.now).total_seconds())
        if left <= 0:
            raise ExpiredTokenException("The SAML session has expired")  # inferred wording
        seconds = min(seconds, left)
    session_policy, arns = checked_session_policies(call.uow, role.account_id, policy, policy_arns)
    _remember(call, account, provider_name, assertion)
    result = issue_role_session(
        call,
        role,
        session_name,
        RoleSession(
            seconds=seconds,
            policy=session_policy,
            policy_arns=arns,
            tags=tags,
            source_identity=source_identity,
            federated_provider=principal_arn,
        ),
    )
    sub_type = context.get("saml:sub_type")
    result.update(
        {
            "subject": assertion.name_id,
            "subject_type": sub_type[0] if sub_type else None,
            "issuer": assertion.issuer,
            "audience": assertion.recipient,
            "name_qualifier": context["saml:namequalifier"][0],
        }
    )
    return result
