"""Server certificates ("Manage server certificates in IAM", id_credentials_server-certs).

UploadServerCertificate takes a PEM-encoded certificate, its unencrypted PEM private key and an
optional PEM chain. The checks AWS documents: each part parses as PEM, the private key matches
the certificate's public key, and the key is RSA (1024 to 4096 bits) or an ECDSA key on
P-256 / P-384 ("Manage server certificates in IAM": "The private key ... must be RSA or ECDSA").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

__all__ = [
    "CertificateProblem",
    "ServerCertificate",
    "checked_server_certificate",
    "server_certificate_arn",
]

_PEM_CERT = re.compile(
    r"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----", re.ASCII
)


class CertificateProblem(ValueError):
    """Why a certificate upload is refused. ``kind`` is ``malformed`` (MalformedCertificate),
    ``mismatch`` (KeyPairMismatch) or ``invalid`` (InvalidInput); ``message`` is AWS's text."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def server_certificate_arn(account_id: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:server-certificate{path}{name}"


@dataclass(frozen=True, slots=True)
class ServerCertificate:
    """A server certificate; the private key is kept only as ciphertext."""

    account_id: str
    id: str
    name: str
    path: str
    body: str
    chain: str | None
    private_key_ciphertext: bytes
    uploaded_at: dt.datetime
    expires_at: dt.datetime

    @property
    def arn(self) -> str:
        return server_certificate_arn(self.account_id, self.path, self.name)


def _certificates(text: str, what: str) -> list[x509.Certificate]:
    blocks = _PEM_CERT.findall(text)
    if not blocks or _PEM_CERT.sub("", text).strip():
        raise CertificateProblem(
            "malformed", f"Unable to parse {what}. Please ensure the {what} is in PEM format."
        )
    try:
        return [x509.load_pem_x509_certificate(block.encode("ascii")) for block in blocks]
    except ValueError:
        raise CertificateProblem(
            "malformed", f"Unable to parse {what}. Please ensure the {what} is in PEM format."
        ) from None


def _private_key(text: str) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    try:
        key = serialization.load_pem_private_key(text.strip().encode("ascii"), password=None)
    except TypeError:
        # Encrypted (password-protected) keys: IAM needs the key itself.
        raise CertificateProblem(
            "invalid", "The private key must not be encrypted with a password."
        ) from None
    except (ValueError, UnicodeEncodeError):
        raise CertificateProblem(
            "malformed", "Unable to parse private key. Please ensure the key is in PEM format."
        ) from None
    if isinstance(key, rsa.RSAPrivateKey):
        if not 1024 <= key.key_size <= 4096:
            raise CertificateProblem("invalid", "The RSA key size must be 1024 to 4096 bits.")
        return key
    if isinstance(key, ec.EllipticCurvePrivateKey):
        if not isinstance(key.curve, ec.SECP256R1 | ec.SECP384R1):
            raise CertificateProblem("invalid", "The ECDSA key must use P-256 or P-384.")
        return key
    raise CertificateProblem("invalid", "The private key must be an RSA or ECDSA key.")


def _public_der(key: object) -> bytes:
    if isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        return key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    return b""


def checked_server_certificate(
    body: str, private_key: str, chain: str | None, now: dt.datetime
) -> dt.datetime:
    """The certificate's expiry, or :class:`CertificateProblem` for the first check it fails."""
    certificates = _certificates(body, "certificate")
    if len(certificates) != 1:
        raise CertificateProblem(
            "malformed", "The certificate body must contain exactly one certificate."
        )
    certificate = certificates[0]
    if chain is not None:
        _certificates(chain, "certificate chain")
    key = _private_key(private_key)
    if _public_der(key.public_key()) != _public_der(certificate.public_key()):
        raise CertificateProblem(
            "mismatch", "Public key certificate and private key doesn't match."
        )
    expires = certificate.not_valid_after_utc
    if expires <= now:
        raise CertificateProblem("malformed", "The certificate has expired.")
    return expires
