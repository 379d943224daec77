"""AWS Signature Version 4 verification for IAM and STS requests.

Implements the server side of *Signature Version 4 signing process* (AWS General Reference:
"Elements of an AWS API request signature", "Create a canonical request", "Create a string to
sign", "Calculate the signature") in both of its forms: the ``Authorization`` header and the
presigned query string (``X-Amz-Algorithm``, ``X-Amz-Credential``, ``X-Amz-Date``,
``X-Amz-SignedHeaders``, ``X-Amz-Signature``, ``X-Amz-Expires``, ``X-Amz-Security-Token``).

Two steps, because the server needs the credential scope before it can find the secret:

1. :func:`parse_signature` (``sigv4_parse``) reads the signature's parts and checks everything
   that needs no secret: presence and shape of every part, the algorithm, the credential scope,
   the clock skew and a presigned request's lifetime. Its ``service`` tells IAM from STS.
2. :func:`verify_signature` rebuilds the canonical request and the string to sign and compares
   the signature with :func:`hmac.compare_digest`.

A wrong signature, whatever differs, is one ``SignatureDoesNotMatch`` with AWS's message
(quoted from STS's answer in boto/boto3#756), without the canonical request and string to sign
AWS appends: nothing tells the caller which part was wrong, and nothing secret is echoed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from iamd.errors import SignatureDoesNotMatch
from iamd.protocol.sigv4_canonical import (
    canonical_headers,
    canonical_query_string,
    canonical_uri,
    header_values,
    query_pairs,
)
from iamd.protocol.sigv4_keys import SigningKeyCache, derive_signing_key
from iamd.protocol.sigv4_parse import (
    ALGORITHM,
    MAX_CLOCK_SKEW,
    TERMINATOR,
    SignedRequest,
    parse_signature,
    scope_service_mismatch,
)

__all__ = [
    "ALGORITHM",
    "MAX_CLOCK_SKEW",
    "MSG_SIGNATURE_MISMATCH",
    "UNSIGNED_PAYLOAD",
    "SignedRequest",
    "SigningKeyCache",
    "canonical_request",
    "derive_signing_key",
    "parse_signature",
    "scope_service_mismatch",
    "string_to_sign",
    "verify_signature",
]

UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
MSG_SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details."
)
_ISO_BASIC = "%Y%m%dT%H%M%SZ"
_SIGNATURE_PARAM = b"X-Amz-Signature"
_CONTENT_SHA256_PARAM = b"X-Amz-Content-Sha256"


def verify_signature(
    signed: SignedRequest,
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    secret_access_key: str,
    keys: SigningKeyCache | None = None,
) -> None:
    """Check ``signed.signature`` against the request, signed with ``secret_access_key``.

    Raises ``SignatureDoesNotMatch`` with AWS's one message, whatever differs; returns ``None``
    when the signature is right. ``keys`` caches derived signing keys across requests.
    """
    creq = canonical_request(signed, method, raw_path, raw_query, headers, body)
    to_sign = string_to_sign(signed, creq)
    if keys is None:
        key = derive_signing_key(
            secret_access_key, signed.scope_date, signed.region, signed.service
        )
    else:
        key = keys.signing_key(secret_access_key, signed.scope_date, signed.region, signed.service)
    expected = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    provided = signed.signature.encode("utf-8", "surrogatepass")
    if not hmac.compare_digest(expected.encode("ascii"), provided):
        raise SignatureDoesNotMatch(MSG_SIGNATURE_MISMATCH)


def canonical_request(
    signed: SignedRequest,
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
) -> str:
    """The CanonicalRequest the signer must have hashed ("Create a canonical request").

    Raises ``SignatureDoesNotMatch`` when a signed ``x-amz-content-sha256`` does not describe
    ``body``, or is ``UNSIGNED-PAYLOAD`` outside a presigned request without a body.
    """
    pairs = query_pairs(raw_query)
    values = header_values(headers, signed.signed_headers)
    exclude = _SIGNATURE_PARAM if signed.presigned else b""
    return "\n".join(
        (
            method,
            canonical_uri(raw_path),
            canonical_query_string(pairs, exclude=exclude),
            canonical_headers(signed.signed_headers, values),
            ";".join(signed.signed_headers),
            _payload_hash(signed, values, pairs, body),
        )
    )


def string_to_sign(signed: SignedRequest, canonical: str) -> str:
    """The StringToSign: algorithm, request time, credential scope, hash of the request."""
    scope = f"{signed.scope_date}/{signed.region}/{signed.service}/{TERMINATOR}"
    digest = hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{ALGORITHM}\n{signed.request_time.strftime(_ISO_BASIC)}\n{scope}\n{digest}"


def _payload_hash(
    signed: SignedRequest,
    values: dict[str, list[str]],
    pairs: list[tuple[bytes, bytes]],
    body: bytes,
) -> str:
    """HashedPayload: the body's SHA-256, or the signed x-amz-content-sha256 that stands for it.

    ``UNSIGNED-PAYLOAD`` is taken only in a presigned request, and only with an empty body: an
    IAM or STS body carries the call's parameters, which an unsigned body would let anyone who
    holds the URL add to.
    """
    declared: str | None = None
    if "x-amz-content-sha256" in values:
        declared = ",".join(values["x-amz-content-sha256"])
    elif signed.presigned:
        for name, value in pairs:
            if name == _CONTENT_SHA256_PARAM:
                declared = value.decode("utf-8", "replace")
                break
    actual = hashlib.sha256(body).hexdigest()
    if declared is None:
        return actual
    if declared == UNSIGNED_PAYLOAD and signed.presigned and not body:
        return declared
    if declared.lower() != actual:
        raise SignatureDoesNotMatch(MSG_SIGNATURE_MISMATCH)
    return declared
