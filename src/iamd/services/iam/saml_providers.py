"""SAML 2.0 identity providers: Create/Get/List/Update/Delete and tags ("Create a SAML identity
provider in IAM", id_roles_providers_create_saml; CreateSAMLProvider and UpdateSAMLProvider in
the IAM API Reference).

The metadata document is parsed and checked (domain ``saml_metadata``): an IdP entity with a
SAML 2.0 IDPSSODescriptor and at least one signing certificate. AWS refuses anything else with
``InvalidInput: Could not parse metadata`` (the text Terraform users quote). ``Manifest not
found for arn …`` is the NoSuchEntity text AWS answers for a SAML provider ARN it does not know
(recalled from AWS answers; not confirmed here). The EntityAlreadyExists, LimitExceeded and
private-key texts are iamd's own, in AWS's style.

Private keys (AddPrivateKey, for encrypted assertions) are kept encrypted under the master key
as one JSON list per provider, and answered as KeyId and Timestamp only. Trusted identity
propagation settings are refused as for OIDC providers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from iamd.domain import (
    SamlMetadata,
    SamlMetadataError,
    SamlPrivateKey,
    SamlProvider,
    parse_saml_metadata,
    saml_provider_arn,
)
from iamd.errors import EntityAlreadyExists, InvalidInput, LimitExceeded, NoSuchEntity
from iamd.services.context import Call
from iamd.services.iam.arn_params import checked_arn, on_arn
from iamd.services.iam.lifecycle import check_quota
from iamd.services.iam.oidc_providers import refuse_identity_propagation
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS
from iamd.services.iam.tagging import (
    checked_tags,
    list_resource_tags,
    tag_resource,
    tags_out,
    untag_resource,
)
from iamd.services.registry import AuthzCheck, iam_operation
from iamd.storage import UnitOfWork

__all__ = [
    "create_saml_provider",
    "delete_saml_provider",
    "get_saml_provider",
    "list_saml_provider_tags",
    "list_saml_providers",
    "saml_provider_certificates",
    "saml_provider_private_keys",
    "tag_saml_provider",
    "untag_saml_provider",
    "update_saml_provider",
]

TAG_KIND = "saml-provider"
PRIVATE_KEYS_PER_PROVIDER = 2
_ARN = "saml_provider_arn"


def saml_provider_certificates(uow: UnitOfWork, arn: str) -> SamlMetadata | None:
    """The provider's entity id (the Issuer of its assertions), the certificates its
    assertions must be signed with and the metadata's validUntil; None when there is no
    provider with this ARN. For AssumeRoleWithSAML, which reads the provider in the role's
    account."""
    provider = uow.saml_providers.get(arn)
    if provider is None:
        return None
    return parse_saml_metadata(provider.metadata_document)


def _key_context(provider_uuid: str) -> bytes:
    return f"iamd/saml-provider/{provider_uuid}".encode()


def saml_provider_private_keys(call: Call, provider: SamlProvider) -> tuple[SamlPrivateKey, ...]:
    """The provider's private keys, decrypted (for decrypting encrypted assertions)."""
    if provider.private_keys_ciphertext is None:
        return ()
    plain = call.deps.secrets.decrypt(
        provider.private_keys_ciphertext, context=_key_context(provider.uuid)
    )
    return tuple(
        SamlPrivateKey(k["key_id"], dt.datetime.fromisoformat(k["created_at"]), k["pem"])
        for k in json.loads(plain)
    )


def _sealed(call: Call, provider_uuid: str, keys: Sequence[SamlPrivateKey]) -> bytes | None:
    if not keys:
        return None
    plain = json.dumps(
        [{"key_id": k.key_id, "created_at": k.created_at.isoformat(), "pem": k.pem} for k in keys]
    ).encode()
    return call.deps.secrets.encrypt(plain, context=_key_context(provider_uuid))


def _long_id(call: Call) -> str:
    """An id of 34 upper-case letters and digits (the model's ``privateKeyIdType``)."""
    return call.deps.ids.unique_id("") + call.deps.ids.unique_id("")


def _provider(call: Call, arn: str) -> SamlProvider:
    checked_arn(arn, "saml-provider")
    provider = call.uow.saml_providers.get(arn)
    if provider is None or provider.account_id != call.account_id:
        raise NoSuchEntity(f"Manifest not found for arn {arn}")
    return provider


def _metadata(document: str) -> SamlMetadata:
    try:
        return parse_saml_metadata(document)
    except SamlMetadataError:
        raise InvalidInput("Could not parse metadata") from None


def _private_key(call: Call, pem: str) -> SamlPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.strip().encode("latin-1"), password=None)
    except (TypeError, ValueError):
        raise InvalidInput("The private key is not a valid unencrypted PEM private key.") from None
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise InvalidInput("The private key must be an RSA or EC key.")
    return SamlPrivateKey(_long_id(call), call.now, pem.strip())


def _encryption_mode(mode: str | None, keys: Sequence[SamlPrivateKey]) -> str | None:
    if mode == "Required" and not keys:
        raise InvalidInput("AssertionEncryptionMode Required needs at least one private key.")
    return mode


def _with_keys(
    call: Call,
    keys: Sequence[SamlPrivateKey],
    add: str | None,
    remove: str | None,
) -> tuple[SamlPrivateKey, ...]:
    kept = list(keys)
    if remove is not None:
        if not any(k.key_id == remove for k in kept):
            raise InvalidInput(f"The private key {remove} does not exist for this SAML provider.")
        kept = [k for k in kept if k.key_id != remove]
    if add is not None:
        kept.append(_private_key(call, add))
        if len(kept) > PRIVATE_KEYS_PER_PROVIDER:
            raise LimitExceeded(
                f"Cannot exceed quota for PrivateKeysPerSamlProvider: {PRIVATE_KEYS_PER_PROVIDER}"
            )
    return tuple(kept)


def _on_new_provider(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
    return (AuthzCheck(action, saml_provider_arn(call.account_id, params["name"])),)


@iam_operation("CreateSAMLProvider", write=True, authz=_on_new_provider)
def create_saml_provider(
    call: Call,
    *,
    saml_metadata_document: str,
    name: str,
    tags: Sequence[Mapping[str, Any]] | None = None,
    assertion_encryption_mode: str | None = None,
    add_private_key: str | None = None,
    context_provider: Mapping[str, Any] | None = None,
    identity_center_instance_arn: str | None = None,
) -> Mapping[str, object]:
    refuse_identity_propagation(context_provider, identity_center_instance_arn)
    metadata = _metadata(saml_metadata_document)
    uow = call.uow
    if uow.saml_providers.get_by_name(call.account_id, name) is not None:
        raise EntityAlreadyExists(f"SAMLProvider {name} already exists.")
    limit = call.deps.quotas.saml_providers_per_account
    check_quota(uow.saml_providers.count(call.account_id), limit, "SamlProvidersPerAccount")
    new_tags = checked_tags(call, (), tags)
    keys = _with_keys(call, (), add_private_key, None)
    provider_uuid = _long_id(call)
    provider = SamlProvider(
        account_id=call.account_id,
        name=name,
        uuid=provider_uuid,
        metadata_document=saml_metadata_document,
        created_at=call.now,
        valid_until=metadata.valid_until,
        assertion_encryption_mode=_encryption_mode(assertion_encryption_mode, keys),
        private_keys_ciphertext=_sealed(call, provider_uuid, keys),
    )
    uow.saml_providers.add(provider)
    uow.tags.replace(call.account_id, TAG_KIND, provider.arn, new_tags)
    return {"saml_provider_arn": provider.arn, "tags": tags_out(new_tags)}


@iam_operation("GetSAMLProvider", write=False, authz=on_arn(_ARN))
def get_saml_provider(call: Call, *, saml_provider_arn: str) -> Mapping[str, object]:
    provider = _provider(call, saml_provider_arn)
    keys = saml_provider_private_keys(call, provider)
    return {
        "saml_provider_uuid": provider.uuid,
        "saml_metadata_document": provider.metadata_document,
        "create_date": provider.created_at,
        "valid_until": provider.valid_until,
        "tags": tags_out(call.uow.tags.get(TAG_KIND, provider.arn)),
        "assertion_encryption_mode": provider.assertion_encryption_mode,
        "private_key_list": [{"key_id": k.key_id, "timestamp": k.created_at} for k in keys] or None,
    }


@iam_operation("ListSAMLProviders", write=False)
def list_saml_providers(call: Call) -> Mapping[str, object]:
    providers = call.uow.saml_providers.list(call.account_id)
    return {
        "saml_provider_list": [
            {"arn": p.arn, "valid_until": p.valid_until, "create_date": p.created_at}
            for p in providers
        ]
    }


@iam_operation("UpdateSAMLProvider", write=True, authz=on_arn(_ARN))
def update_saml_provider(
    call: Call,
    *,
    saml_provider_arn: str,
    saml_metadata_document: str | None = None,
    assertion_encryption_mode: str | None = None,
    add_private_key: str | None = None,
    remove_private_key: str | None = None,
    context_provider: Mapping[str, Any] | None = None,
    identity_center_instance_arn: str | None = None,
    remove_context_provider: bool | None = None,
    remove_identity_center_instance: bool | None = None,
) -> Mapping[str, object]:
    """Replaces what the request gives: the metadata document, the encryption mode, a private
    key added or removed. (The Remove flags of trusted identity propagation leave the provider
    as it is: iamd keeps no such setting.)"""
    provider = _provider(call, saml_provider_arn)
    refuse_identity_propagation(context_provider, identity_center_instance_arn)
    document = provider.metadata_document
    valid_until = provider.valid_until
    if saml_metadata_document is not None:
        document = saml_metadata_document
        valid_until = _metadata(saml_metadata_document).valid_until
    keys = _with_keys(
        call, saml_provider_private_keys(call, provider), add_private_key, remove_private_key
    )
    mode = assertion_encryption_mode or provider.assertion_encryption_mode
    changed_keys = add_private_key is not None or remove_private_key is not None
    call.uow.saml_providers.update(
        SamlProvider(
            account_id=provider.account_id,
            name=provider.name,
            uuid=provider.uuid,
            metadata_document=document,
            created_at=provider.created_at,
            valid_until=valid_until,
            assertion_encryption_mode=_encryption_mode(mode, keys),
            private_keys_ciphertext=_sealed(call, provider.uuid, keys)
            if changed_keys
            else provider.private_keys_ciphertext,
        )
    )
    return {"saml_provider_arn": provider.arn}


@iam_operation("DeleteSAMLProvider", write=True, authz=on_arn(_ARN))
def delete_saml_provider(call: Call, *, saml_provider_arn: str) -> None:
    provider = _provider(call, saml_provider_arn)
    call.uow.tags.delete_all(TAG_KIND, provider.arn)
    call.uow.saml_providers.delete(provider.arn)
    return None


@iam_operation("TagSAMLProvider", write=True, authz=on_arn(_ARN))
def tag_saml_provider(
    call: Call, *, saml_provider_arn: str, tags: Sequence[Mapping[str, Any]]
) -> None:
    tag_resource(call, TAG_KIND, _provider(call, saml_provider_arn).arn, tags)
    return None


@iam_operation("UntagSAMLProvider", write=True, authz=on_arn(_ARN))
def untag_saml_provider(call: Call, *, saml_provider_arn: str, tag_keys: Sequence[str]) -> None:
    untag_resource(call, TAG_KIND, _provider(call, saml_provider_arn).arn, tag_keys)
    return None


@iam_operation("ListSAMLProviderTags", write=False, authz=on_arn(_ARN))
def list_saml_provider_tags(
    call: Call,
    *,
    saml_provider_arn: str,
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    provider = _provider(call, saml_provider_arn)
    return list_resource_tags(call, TAG_KIND, provider.arn, marker, max_items)
