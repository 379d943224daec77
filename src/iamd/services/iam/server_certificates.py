"""Server certificates: Upload/Get/List/Update/Delete and tags ("Manage server certificates in
IAM", id_credentials_server-certs; UploadServerCertificate in the IAM API Reference).

The body, chain and private key are checked with ``cryptography`` (domain
``server_certificates``). Messages: ``The Server Certificate with name … cannot be found.`` /
``… already exists.`` and ``Public key certificate and private key doesn't match.`` are recalled
from AWS answers; ``Unable to parse certificate. Please ensure the certificate is in PEM
format.`` likewise. The other MalformedCertificate/InvalidInput texts are iamd's own in AWS's
style (the exception's documentation: "malformed or expired").

The private key is encrypted under the master key and never answered: GetServerCertificate
returns the body and chain only, as on AWS.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from iamd.domain import (
    CertificateProblem,
    ServerCertificate,
    checked_server_certificate,
    server_certificate_arn,
)
from iamd.errors import (
    AwsError,
    EntityAlreadyExists,
    InvalidInput,
    MalformedCertificate,
    NoSuchEntity,
)
from iamd.services.context import Call
from iamd.services.iam.lifecycle import check_quota, renamed
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, page_result, valid_marker
from iamd.services.iam.tagging import (
    checked_tags,
    list_resource_tags,
    tag_resource,
    tags_out,
    untag_resource,
)
from iamd.services.registry import AuthzCheck, ResourceResolver, iam_operation

__all__ = [
    "KeyPairMismatch",
    "delete_server_certificate",
    "get_server_certificate",
    "list_server_certificate_tags",
    "list_server_certificates",
    "tag_server_certificate",
    "untag_server_certificate",
    "update_server_certificate",
    "upload_server_certificate",
]

TAG_KIND = "server-certificate"


class KeyPairMismatch(AwsError):
    """botocore's KeyPairMismatchException."""

    code = "KeyPairMismatch"


def _name_taken(name: str) -> EntityAlreadyExists:
    return EntityAlreadyExists(f"The Server Certificate with name {name} already exists.")


def _require(call: Call, name: str) -> ServerCertificate:
    certificate = call.uow.server_certificates.get(call.account_id, name)
    if certificate is None:
        raise NoSuchEntity(f"The Server Certificate with name {name} cannot be found.")
    return certificate


def _on_certificate(path_param: str | None = None) -> ResourceResolver:
    def resolve(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
        name: str = params["server_certificate_name"]
        certificate = call.uow.server_certificates.get(call.account_id, name)
        if certificate is not None:
            return (AuthzCheck(action, certificate.arn),)
        path = params.get(path_param) if path_param else None
        return (AuthzCheck(action, server_certificate_arn(call.account_id, path or "/", name)),)

    return resolve


def _metadata(certificate: ServerCertificate) -> dict[str, object]:
    return {
        "path": certificate.path,
        "server_certificate_name": certificate.name,
        "server_certificate_id": certificate.id,
        "arn": certificate.arn,
        "upload_date": certificate.uploaded_at,
        "expiration": certificate.expires_at,
    }


def _checked(body: str, private_key: str, chain: str | None, call: Call) -> Any:
    try:
        return checked_server_certificate(body, private_key, chain, call.now)
    except CertificateProblem as problem:
        if problem.kind == "mismatch":
            raise KeyPairMismatch(problem.message) from None
        if problem.kind == "invalid":
            raise InvalidInput(problem.message) from None
        raise MalformedCertificate(problem.message) from None


@iam_operation("UploadServerCertificate", write=True, authz=_on_certificate("path"))
def upload_server_certificate(
    call: Call,
    *,
    server_certificate_name: str,
    certificate_body: str,
    private_key: str,
    path: str = "/",
    certificate_chain: str | None = None,
    tags: Sequence[Mapping[str, Any]] | None = None,
) -> Mapping[str, object]:
    uow = call.uow
    if uow.server_certificates.get(call.account_id, server_certificate_name) is not None:
        raise _name_taken(server_certificate_name)
    limit = call.deps.quotas.server_certificates_per_account
    check_quota(
        uow.server_certificates.count(call.account_id), limit, "ServerCertificatesPerAccount"
    )
    expires = _checked(certificate_body, private_key, certificate_chain, call)
    new_tags = checked_tags(call, (), tags)
    certificate_id = call.deps.ids.unique_id("ASCA")
    certificate = ServerCertificate(
        account_id=call.account_id,
        id=certificate_id,
        name=server_certificate_name,
        path=path,
        body=certificate_body.strip(),
        chain=certificate_chain.strip() if certificate_chain else None,
        private_key_ciphertext=call.deps.secrets.encrypt(
            private_key.encode(), context=f"iamd/server-certificate/{certificate_id}".encode()
        ),
        uploaded_at=call.now,
        expires_at=expires,
    )
    uow.server_certificates.add(certificate)
    uow.tags.replace(call.account_id, TAG_KIND, certificate.id, new_tags)
    return {"server_certificate_metadata": _metadata(certificate), "tags": tags_out(new_tags)}


@iam_operation("GetServerCertificate", write=False, authz=_on_certificate())
def get_server_certificate(call: Call, *, server_certificate_name: str) -> Mapping[str, object]:
    certificate = _require(call, server_certificate_name)
    return {
        "server_certificate": {
            "server_certificate_metadata": _metadata(certificate),
            "certificate_body": certificate.body,
            "certificate_chain": certificate.chain,
            "tags": tags_out(call.uow.tags.get(TAG_KIND, certificate.id)),
        }
    }


@iam_operation("ListServerCertificates", write=False)
def list_server_certificates(
    call: Call,
    *,
    path_prefix: str = "/",
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    with valid_marker():
        page = call.uow.server_certificates.list(
            call.account_id, path_prefix=path_prefix, marker=marker, max_items=max_items
        )
    return page_result(page, "server_certificate_metadata_list", _metadata)


@iam_operation("UpdateServerCertificate", write=True, authz=_on_certificate())
def update_server_certificate(
    call: Call,
    *,
    server_certificate_name: str,
    new_path: str | None = None,
    new_server_certificate_name: str | None = None,
) -> None:
    """Renames and/or moves the certificate; its id, body and key stay."""
    certificate = _require(call, server_certificate_name)
    certificates = call.uow.server_certificates
    name = renamed(
        certificate.name,
        new_server_certificate_name,
        lambda n: certificates.get(call.account_id, n),
        _name_taken,
    )
    path = new_path if new_path is not None else certificate.path
    certificates.update(dataclasses.replace(certificate, name=name, path=path))
    return None


@iam_operation("DeleteServerCertificate", write=True, authz=_on_certificate())
def delete_server_certificate(call: Call, *, server_certificate_name: str) -> None:
    """No service of iamd's uses a server certificate, so none is ever in use (DeleteConflict
    is AWS's answer while Elastic Load Balancing or CloudFront uses one)."""
    certificate = _require(call, server_certificate_name)
    call.uow.tags.delete_all(TAG_KIND, certificate.id)
    call.uow.server_certificates.delete(certificate.id)
    return None


@iam_operation("TagServerCertificate", write=True, authz=_on_certificate())
def tag_server_certificate(
    call: Call, *, server_certificate_name: str, tags: Sequence[Mapping[str, Any]]
) -> None:
    certificate = _require(call, server_certificate_name)
    tag_resource(call, TAG_KIND, certificate.id, tags)
    return None


@iam_operation("UntagServerCertificate", write=True, authz=_on_certificate())
def untag_server_certificate(
    call: Call, *, server_certificate_name: str, tag_keys: Sequence[str]
) -> None:
    certificate = _require(call, server_certificate_name)
    untag_resource(call, TAG_KIND, certificate.id, tag_keys)
    return None


@iam_operation("ListServerCertificateTags", write=False, authz=_on_certificate())
def list_server_certificate_tags(
    call: Call,
    *,
    server_certificate_name: str,
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    certificate = _require(call, server_certificate_name)
    return list_resource_tags(call, TAG_KIND, certificate.id, marker, max_items)
