"""OpenID Connect identity providers: Create/Get/List/Delete, client ids, thumbprints,
UpdateOpenIDConnectProvider and tags ("Create an OpenID Connect (OIDC) identity provider in
IAM", id_roles_providers_create_oidc; the CreateOpenIDConnectProvider family in the IAM API
Reference).

Messages confirmed from AWS answers quoted in public issues: ``Provider with url … already
exists.`` (EntityAlreadyExists). ``OpenIDConnect Provider not found for arn …`` is the text moto
reproduces for NoSuchEntity; the thumbprint-count text is moto's too. The quota names follow
AWS's ``Cannot exceed quota for <Name>: <value>`` form.

Thumbprints are optional, as on AWS since 2024. AWS, given none, fetches the IdP's certificate
chain and stores the top intermediate CA's thumbprint; iamd makes no network call here and keeps
the list empty — AssumeRoleWithWebIdentity checks the IdP's TLS certificate against the CA
bundle (what AWS does for IdPs with a certificate from a trusted CA).

Trusted identity propagation (``ContextProvider``, ``IdentityCenterInstanceArn``) needs IAM
Identity Center, which iamd does not have: such requests are refused with InvalidInput rather
than stored without effect (docs/api-coverage.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.domain import (
    MAX_THUMBPRINTS,
    OidcProvider,
    OidcUrlProblem,
    is_thumbprint,
    oidc_provider_arn,
    oidc_provider_name,
)
from iamd.errors import EntityAlreadyExists, InvalidInput, LimitExceeded, NoSuchEntity
from iamd.services.context import Call
from iamd.services.iam.arn_params import checked_arn, on_arn
from iamd.services.iam.lifecycle import check_quota
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS
from iamd.services.iam.tagging import (
    checked_tags,
    list_resource_tags,
    tag_resource,
    tags_out,
    untag_resource,
)
from iamd.services.registry import AuthzCheck, iam_operation

__all__ = [
    "add_client_id_to_open_id_connect_provider",
    "create_open_id_connect_provider",
    "delete_open_id_connect_provider",
    "get_open_id_connect_provider",
    "list_open_id_connect_provider_tags",
    "list_open_id_connect_providers",
    "oidc_provider",
    "refuse_identity_propagation",
    "remove_client_id_from_open_id_connect_provider",
    "tag_open_id_connect_provider",
    "untag_open_id_connect_provider",
    "update_open_id_connect_provider",
    "update_open_id_connect_provider_thumbprint",
]

TAG_KIND = "oidc-provider"
CLIENT_IDS_PER_PROVIDER = 100
_ARN = "open_id_connect_provider_arn"


def refuse_identity_propagation(context_provider: object, identity_center: object) -> None:
    """Trusted identity propagation needs IAM Identity Center, which iamd does not have."""
    if context_provider is not None or identity_center is not None:
        raise InvalidInput(
            "Trusted identity propagation (ContextProvider, IdentityCenterInstanceArn) is not "
            "available: this server has no IAM Identity Center."
        )


def oidc_provider(call: Call, arn: str) -> OidcProvider:
    """The caller's account's provider with this ARN, else AWS's NoSuchEntity. The STS
    federation code finds a web identity token's provider with this."""
    checked_arn(arn, "oidc-provider")
    provider = call.uow.oidc_providers.get(arn)
    if provider is None or provider.account_id != call.account_id:
        raise NoSuchEntity(f"OpenIDConnect Provider not found for arn {arn}")
    return provider


def _thumbprints(given: Sequence[str]) -> tuple[str, ...]:
    if len(given) > MAX_THUMBPRINTS:
        raise InvalidInput("Thumbprint list must contain fewer than 5 entries.")
    for thumbprint in given:
        if not is_thumbprint(thumbprint):
            raise InvalidInput(f"Thumbprint {thumbprint} is not a valid SHA-1 thumbprint.")
    return tuple(dict.fromkeys(given))


def _client_ids(given: Sequence[str]) -> tuple[str, ...]:
    unique = tuple(dict.fromkeys(given))
    if len(unique) > CLIENT_IDS_PER_PROVIDER:
        raise LimitExceeded(
            f"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {CLIENT_IDS_PER_PROVIDER}"
        )
    return unique


def _on_new_provider(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
    try:
        resource = oidc_provider_arn(call.account_id, oidc_provider_name(params["url"]))
    except OidcUrlProblem:
        resource = "*"
    return (AuthzCheck(action, resource),)


@iam_operation("CreateOpenIDConnectProvider", write=True, authz=_on_new_provider)
def create_open_id_connect_provider(
    call: Call,
    *,
    url: str,
    client_id_list: Sequence[str] | None = None,
    thumbprint_list: Sequence[str] | None = None,
    tags: Sequence[Mapping[str, Any]] | None = None,
    context_provider: Mapping[str, Any] | None = None,
    identity_center_instance_arn: str | None = None,
) -> Mapping[str, object]:
    refuse_identity_propagation(context_provider, identity_center_instance_arn)
    try:
        name = oidc_provider_name(url)
    except OidcUrlProblem as problem:
        raise InvalidInput(str(problem)) from None
    provider = OidcProvider(
        account_id=call.account_id,
        name=name,
        client_ids=_client_ids(client_id_list or ()),
        thumbprints=_thumbprints(thumbprint_list or ()),
        created_at=call.now,
    )
    uow = call.uow
    if uow.oidc_providers.get(provider.arn) is not None:
        raise EntityAlreadyExists(f"Provider with url {url} already exists.")
    limit = call.deps.quotas.open_id_connect_providers_per_account
    check_quota(
        uow.oidc_providers.count(call.account_id), limit, "OpenIdConnectProvidersPerAccount"
    )
    new_tags = checked_tags(call, (), tags)
    uow.oidc_providers.add(provider)
    uow.tags.replace(call.account_id, TAG_KIND, provider.arn, new_tags)
    return {"open_id_connect_provider_arn": provider.arn, "tags": tags_out(new_tags)}


@iam_operation("GetOpenIDConnectProvider", write=False, authz=on_arn(_ARN))
def get_open_id_connect_provider(
    call: Call, *, open_id_connect_provider_arn: str
) -> Mapping[str, object]:
    provider = oidc_provider(call, open_id_connect_provider_arn)
    return {
        "url": provider.name,
        "client_id_list": list(provider.client_ids),
        "thumbprint_list": list(provider.thumbprints),
        "create_date": provider.created_at,
        "tags": tags_out(call.uow.tags.get(TAG_KIND, provider.arn)),
    }


@iam_operation("ListOpenIDConnectProviders", write=False)
def list_open_id_connect_providers(call: Call) -> Mapping[str, object]:
    providers = call.uow.oidc_providers.list(call.account_id)
    return {"open_id_connect_provider_list": [{"arn": p.arn} for p in providers]}


@iam_operation("DeleteOpenIDConnectProvider", write=True, authz=on_arn(_ARN))
def delete_open_id_connect_provider(call: Call, *, open_id_connect_provider_arn: str) -> None:
    provider = oidc_provider(call, open_id_connect_provider_arn)
    call.uow.tags.delete_all(TAG_KIND, provider.arn)
    call.uow.oidc_providers.delete(provider.arn)
    return None


def _store(call: Call, provider: OidcProvider, **changes: tuple[str, ...]) -> None:
    call.uow.oidc_providers.update(
        OidcProvider(
            account_id=provider.account_id,
            name=provider.name,
            client_ids=changes.get("client_ids", provider.client_ids),
            thumbprints=changes.get("thumbprints", provider.thumbprints),
            created_at=provider.created_at,
        )
    )


@iam_operation("AddClientIDToOpenIDConnectProvider", write=True, authz=on_arn(_ARN))
def add_client_id_to_open_id_connect_provider(
    call: Call, *, open_id_connect_provider_arn: str, client_id: str
) -> None:
    """Idempotent: adding a client id already registered changes nothing."""
    provider = oidc_provider(call, open_id_connect_provider_arn)
    if client_id not in provider.client_ids:
        _store(call, provider, client_ids=_client_ids((*provider.client_ids, client_id)))
    return None


@iam_operation("RemoveClientIDFromOpenIDConnectProvider", write=True, authz=on_arn(_ARN))
def remove_client_id_from_open_id_connect_provider(
    call: Call, *, open_id_connect_provider_arn: str, client_id: str
) -> None:
    """Idempotent: removing a client id that is not registered is not an error."""
    provider = oidc_provider(call, open_id_connect_provider_arn)
    if client_id in provider.client_ids:
        kept = tuple(c for c in provider.client_ids if c != client_id)
        _store(call, provider, client_ids=kept)
    return None


@iam_operation("UpdateOpenIDConnectProviderThumbprint", write=True, authz=on_arn(_ARN))
def update_open_id_connect_provider_thumbprint(
    call: Call, *, open_id_connect_provider_arn: str, thumbprint_list: Sequence[str]
) -> None:
    """The list given replaces the provider's list (the lists are not merged)."""
    provider = oidc_provider(call, open_id_connect_provider_arn)
    _store(call, provider, thumbprints=_thumbprints(thumbprint_list))
    return None


@iam_operation("UpdateOpenIDConnectProvider", write=True, authz=on_arn(_ARN))
def update_open_id_connect_provider(
    call: Call,
    *,
    open_id_connect_provider_arn: str,
    context_provider: Mapping[str, Any] | None = None,
    identity_center_instance_arn: str | None = None,
    remove_context_provider: bool | None = None,
    remove_identity_center_instance: bool | None = None,
) -> None:
    """Only the trusted identity propagation settings are changed by this operation. iamd keeps
    none, so setting one is refused and removing one leaves the provider as it is."""
    oidc_provider(call, open_id_connect_provider_arn)
    refuse_identity_propagation(context_provider, identity_center_instance_arn)
    if not (remove_context_provider or remove_identity_center_instance):
        raise InvalidInput(
            "Specify ContextProvider, IdentityCenterInstanceArn, RemoveContextProvider or "
            "RemoveIdentityCenterInstance."
        )
    return None


@iam_operation("TagOpenIDConnectProvider", write=True, authz=on_arn(_ARN))
def tag_open_id_connect_provider(
    call: Call, *, open_id_connect_provider_arn: str, tags: Sequence[Mapping[str, Any]]
) -> None:
    provider = oidc_provider(call, open_id_connect_provider_arn)
    tag_resource(call, TAG_KIND, provider.arn, tags)
    return None


@iam_operation("UntagOpenIDConnectProvider", write=True, authz=on_arn(_ARN))
def untag_open_id_connect_provider(
    call: Call, *, open_id_connect_provider_arn: str, tag_keys: Sequence[str]
) -> None:
    provider = oidc_provider(call, open_id_connect_provider_arn)
    untag_resource(call, TAG_KIND, provider.arn, tag_keys)
    return None


@iam_operation("ListOpenIDConnectProviderTags", write=False, authz=on_arn(_ARN))
def list_open_id_connect_provider_tags(
    call: Call,
    *,
    open_id_connect_provider_arn: str,
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    provider = oidc_provider(call, open_id_connect_provider_arn)
    return list_resource_tags(call, TAG_KIND, provider.arn, marker, max_items)
