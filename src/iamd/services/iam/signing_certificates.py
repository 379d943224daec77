"""X.509 signing certificates: UploadSigningCertificate, ListSigningCertificates,
UpdateSigningCertificate, DeleteSigningCertificate (IAM API Reference), for IAM users and for
the root user (no UserName, root credentials).

The body must be exactly one PEM ``CERTIFICATE`` that ``cryptography`` parses, currently valid,
with an RSA or EC public key. At most two per user ("Signing certificates assigned to an IAM
user: 2", reference_iam-quotas). The same certificate cannot be uploaded twice in an account
(DuplicateCertificate): a certificate's id is derived from the account id and the certificate's
DER bytes, so the check is one lookup.

AWS's texts (AWS-recorded snapshots in LocalStack's IAM tests): "Certificate X is malformed.",
"The Certificate with id X cannot be found.", "Cannot exceed quota for CertificatesPerUser: 2".
The texts of InvalidCertificate, DuplicateCertificate and the expiry refusal are iamd's.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from iamd.domain import KeyStatus, SigningCertificate, User
from iamd.errors import (
    DuplicateCertificate,
    InvalidCertificate,
    MalformedCertificate,
    NoSuchEntity,
)
from iamd.services.context import Call
from iamd.services.iam.lifecycle import check_quota
from iamd.services.iam.lookups import on_user, target_user
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, page_result, valid_marker
from iamd.services.iam.ssh_public_keys import settable_status
from iamd.services.registry import iam_operation

__all__ = [
    "certificate_id",
    "delete_signing_certificate",
    "list_signing_certificates",
    "update_signing_certificate",
    "upload_signing_certificate",
]

_PEM_BEGIN = "-----BEGIN CERTIFICATE-----"


def certificate_id(account_id: str, der: bytes) -> str:
    """28 characters of the base32 alphabet, like AWS's ids (``TA7SMP42TDN5Z26OBPJE7EXAMPLE``),
    from SHA-256 of the account id and the certificate."""
    digest = hashlib.sha256(account_id.encode("ascii") + b"\0" + der).digest()
    return base64.b32encode(digest).decode("ascii")[:28]


def _checked_certificate(call: Call, body: str) -> x509.Certificate:
    if body.count(_PEM_BEGIN) != 1:
        raise MalformedCertificate(f"Certificate {body} is malformed.")
    try:
        certificate = x509.load_pem_x509_certificate(body.strip().encode("latin-1"))
        key = certificate.public_key()
    except ValueError:
        raise MalformedCertificate(f"Certificate {body} is malformed.") from None
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise InvalidCertificate("The certificate's public key must be an RSA or EC key.")
    if certificate.not_valid_after_utc <= call.now:
        # MalformedCertificate covers "malformed or expired" (API reference).
        raise MalformedCertificate("The certificate has expired.")
    if certificate.not_valid_before_utc > call.now:
        raise InvalidCertificate("The certificate is not yet valid.")
    return certificate


def _require_certificate(call: Call, user: User | None, certificate_id: str) -> SigningCertificate:
    found = call.uow.signing_certificates.get(call.account_id, certificate_id)
    owner = user.id if user is not None else None
    if found is None or found.user_id != owner:
        raise NoSuchEntity(f"The Certificate with id {certificate_id} cannot be found.")
    return found


def _certificate_out(call: Call, certificate: SigningCertificate) -> dict[str, object]:
    return {
        # The root user's certificates carry no user name of an IAM user; iamd shows the
        # account id (inferred).
        "user_name": certificate.user_name or call.account_id,
        "certificate_id": certificate.id,
        "certificate_body": certificate.body,
        "status": certificate.status.value,
        "upload_date": certificate.uploaded_at,
    }


@iam_operation("UploadSigningCertificate", write=True, authz=on_user())
def upload_signing_certificate(
    call: Call, *, certificate_body: str, user_name: str | None = None
) -> Mapping[str, object]:
    user = target_user(call, user_name)
    owner = user.id if user is not None else None
    parsed = _checked_certificate(call, certificate_body)
    new_id = certificate_id(call.account_id, parsed.public_bytes(Encoding.DER))
    if call.uow.signing_certificates.get(call.account_id, new_id) is not None:
        raise DuplicateCertificate("The certificate is already in use in this account.")
    limit = call.deps.quotas.signing_certificates_per_user
    check_quota(
        call.uow.signing_certificates.count(call.account_id, owner), limit, "CertificatesPerUser"
    )
    certificate = SigningCertificate(
        id=new_id,
        account_id=call.account_id,
        user_id=owner,
        user_name=user.name if user is not None else None,
        body=certificate_body,
        status=KeyStatus.ACTIVE,
        uploaded_at=call.now,
    )
    call.uow.signing_certificates.add(certificate)
    return {"certificate": _certificate_out(call, certificate)}


@iam_operation("ListSigningCertificates", write=False, authz=on_user())
def list_signing_certificates(
    call: Call,
    *,
    user_name: str | None = None,
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    user = target_user(call, user_name)
    owner = user.id if user is not None else None
    with valid_marker():
        page = call.uow.signing_certificates.page(
            call.account_id, owner, marker=marker, max_items=max_items
        )
    return page_result(page, "certificates", lambda c: _certificate_out(call, c))


@iam_operation("UpdateSigningCertificate", write=True, authz=on_user())
def update_signing_certificate(
    call: Call, *, certificate_id: str, status: str, user_name: str | None = None
) -> None:
    user = target_user(call, user_name)
    found = _require_certificate(call, user, certificate_id)
    call.uow.signing_certificates.set_status(found.id, settable_status(status))
    return None


@iam_operation("DeleteSigningCertificate", write=True, authz=on_user())
def delete_signing_certificate(
    call: Call, *, certificate_id: str, user_name: str | None = None
) -> None:
    user = target_user(call, user_name)
    found = _require_certificate(call, user, certificate_id)
    call.uow.signing_certificates.delete(found.id)
    return None
