"""Verifying a SAML 2.0 authentication response for AssumeRoleWithSAML ("Configuring SAML
assertions for the authentication response", id_roles_providers_create_saml_assertions;
"Troubleshooting SAML 2.0 federation with AWS", troubleshoot_saml; OASIS SAML 2.0 Core
sections 2.3-2.7 and Profiles section 4.1.4).

1. The base64 response is XML without any document type declaration: no entity can be declared,
   so neither external entities (XXE) nor entity expansion ("billion laughs") can happen.
2. Its XML signature (signxml: exclusive canonicalization, RSA/ECDSA with SHA-2) verifies with
   one of the provider's metadata certificates. Only what the signature covers is read from
   then on — the signed Response or the signed Assertion — so a second, unsigned assertion
   cannot be slipped in beside a signed one.
3. The signed content holds exactly one assertion, issued by the provider's entity id; the
   response's status (when it is the signed part) is Success; ``Conditions`` NotBefore /
   NotOnOrAfter hold at the server's clock, with AWS's sign-in endpoint or entity id among the
   audiences; exactly one bearer ``SubjectConfirmationData`` with a ``Recipient`` of AWS's
   sign-in endpoint and a NotOnOrAfter in the future.

Messages confirmed from the User Guide's troubleshooting page: "Response signature invalid",
"Failed to assume role: Issuer not present in specified provider", "Response does not contain
the required audience." Others are inferred and say so.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from xml.parsers import expat

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from signxml.exceptions import InvalidInput, InvalidSignature
from signxml.verifier import XMLVerifier

from iamd.errors import ExpiredTokenException, InvalidIdentityToken

__all__ = [
    "AWS_AUDIENCES",
    "SamlAssertion",
    "SamlAttribute",
    "decoded_response",
    "verified_assertion",
]

_P = "{urn:oasis:names:tc:SAML:2.0:protocol}"
_A = "{urn:oasis:names:tc:SAML:2.0:assertion}"
_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
_BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
_RECIPIENT = re.compile(r"https://([a-z0-9-]+\.)?signin\.aws\.amazon\.com/(static/)?saml")
AWS_AUDIENCES = re.compile(
    r"urn:amazon:webservices(:[a-z0-9-]+)?|https://([a-z0-9-]+\.)?signin\.aws\.amazon\.com/(static/)?saml"
)
INVALID_RESPONSE = "Invalid SAML response"  # inferred wording
SIGNATURE_INVALID = "Response signature invalid"


@dataclass(frozen=True, slots=True)
class SamlAttribute:
    name: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SamlAssertion:
    """What a verified assertion says."""

    id: str
    issuer: str
    name_id: str
    name_id_format: str | None
    recipient: str
    not_on_or_after: dt.datetime
    session_not_on_or_after: dt.datetime | None
    attributes: tuple[SamlAttribute, ...]

    def attribute(self, name: str) -> tuple[str, ...] | None:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute.values
        return None


class _Declared(Exception):
    pass


def _refuse(*_: object) -> None:
    raise _Declared


def decoded_response(saml_assertion: str) -> bytes:
    """The XML of the base64 ``SAMLAssertion``, refused when it declares anything."""
    try:
        data = base64.b64decode("".join(saml_assertion.split()), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidIdentityToken(INVALID_RESPONSE) from None
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.NotationDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse  # type: ignore[assignment]
    try:
        parser.Parse(data, True)
    except (_Declared, expat.ExpatError):
        raise InvalidIdentityToken(INVALID_RESPONSE) from None
    return data


def _signed_content(data: bytes, certificates: Sequence[x509.Certificate]) -> bytes:
    for certificate in certificates:
        pem = certificate.public_bytes(Encoding.PEM).decode("ascii")
        try:
            result = XMLVerifier().verify(data, x509_cert=pem)
        except (InvalidSignature, InvalidInput, ValueError):
            continue
        found = result[0] if isinstance(result, list) else result
        signed: bytes = found.signed_data
        return signed
    raise InvalidIdentityToken(SIGNATURE_INVALID)


def _time(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidIdentityToken(INVALID_RESPONSE) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def _one(parent: ET.Element, path: str) -> ET.Element:
    found = parent.findall(path)
    if len(found) != 1:
        raise InvalidIdentityToken(INVALID_RESPONSE)
    return found[0]


def _assertion_of(signed: ET.Element) -> ET.Element:
    if signed.tag == f"{_A}Assertion":
        return signed
    if signed.tag != f"{_P}Response":
        raise InvalidIdentityToken(INVALID_RESPONSE)
    status = signed.find(f"{_P}Status/{_P}StatusCode")
    if status is None or status.get("Value") != _SUCCESS:
        raise InvalidIdentityToken(INVALID_RESPONSE)
    if signed.find(f"{_A}EncryptedAssertion") is not None:
        # Encrypted assertions are not decrypted by iamd (inferred wording).
        raise InvalidIdentityToken("Encrypted SAML assertions are not supported")
    return _one(signed, f"{_A}Assertion")


def _check_conditions(assertion: ET.Element, now: dt.datetime) -> None:
    conditions = assertion.find(f"{_A}Conditions")
    if conditions is None:
        raise InvalidIdentityToken(INVALID_RESPONSE)
    not_before = _time(conditions.get("NotBefore"))
    not_after = _time(conditions.get("NotOnOrAfter"))
    if not_before is not None and now < not_before:
        raise InvalidIdentityToken("The SAML assertion is not yet valid")  # inferred wording
    if not_after is not None and now >= not_after:
        raise ExpiredTokenException("The SAML assertion has expired")  # inferred wording
    audiences = [
        (a.text or "").strip() for a in conditions.findall(f"{_A}AudienceRestriction/{_A}Audience")
    ]
    if not any(AWS_AUDIENCES.fullmatch(a) for a in audiences):
        raise InvalidIdentityToken("Response does not contain the required audience.")


def _subject(assertion: ET.Element, now: dt.datetime) -> tuple[str, str | None, str, dt.datetime]:
    subject = assertion.find(f"{_A}Subject")
    name_id = subject.find(f"{_A}NameID") if subject is not None else None
    if subject is None or name_id is None or not (name_id.text or "").strip():
        raise InvalidIdentityToken(INVALID_RESPONSE)
    bearer = [c for c in subject.findall(f"{_A}SubjectConfirmation") if c.get("Method") == _BEARER]
    if len(bearer) != 1:
        raise InvalidIdentityToken(INVALID_RESPONSE)
    data = _one(bearer[0], f"{_A}SubjectConfirmationData")
    recipient = data.get("Recipient") or ""
    expires = _time(data.get("NotOnOrAfter"))
    if not _RECIPIENT.fullmatch(recipient) or expires is None:
        raise InvalidIdentityToken(INVALID_RESPONSE)
    if now >= expires:
        raise ExpiredTokenException("The SAML assertion has expired")  # inferred wording
    return (name_id.text or "").strip(), name_id.get("Format"), recipient, expires


def verified_assertion(
    data: bytes,
    *,
    certificates: Sequence[x509.Certificate],
    entity_id: str,
    now: dt.datetime,
) -> SamlAssertion:
    """The assertion of the SAML response ``data`` (from :func:`decoded_response`), verified
    against the provider's certificates and entity id at ``now``."""
    # Canonical XML of the signed element: it cannot carry a document type declaration.
    signed = ET.fromstring(_signed_content(data, certificates))  # noqa: S314
    assertion = _assertion_of(signed)
    issuer = assertion.find(f"{_A}Issuer")
    if issuer is None or (issuer.text or "").strip() != entity_id:
        raise InvalidIdentityToken(
            "Failed to assume role: Issuer not present in specified provider"
        )
    _check_conditions(assertion, now)
    name_id, name_format, recipient, expires = _subject(assertion, now)
    authn = assertion.find(f"{_A}AuthnStatement")
    session_end = _time(authn.get("SessionNotOnOrAfter")) if authn is not None else None
    attributes = tuple(
        SamlAttribute(
            a.get("Name", ""),
            tuple((v.text or "").strip() for v in a.findall(f"{_A}AttributeValue")),
        )
        for a in assertion.findall(f"{_A}AttributeStatement/{_A}Attribute")
    )
    return SamlAssertion(
        id=assertion.get("ID", ""),
        issuer=entity_id,
        name_id=name_id,
        name_id_format=name_format,
        recipient=recipient,
        not_on_or_after=expires,
        session_not_on_or_after=session_end,
        attributes=attributes,
    )
