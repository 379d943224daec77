"""SAML 2.0 identity provider metadata ("Create a SAML identity provider in IAM",
id_roles_providers_create_saml; OASIS "Metadata for the OASIS Security Assertion Markup Language
(SAML) V2.0", saml-metadata-2.0-os, sections 2.3.2 EntityDescriptor, 2.4.1 RoleDescriptor
(KeyDescriptor) and 2.4.3 IDPSSODescriptor).

The document comes from the caller, so it is parsed defensively: ``xml.etree.ElementTree`` (no
``defusedxml`` or ``lxml`` in iamd's dependencies) only after a first pass with ``expat`` has
refused any document type declaration — the only place an XML document can declare entities,
so neither external entities nor entity expansion ("billion laughs") can happen.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.parsers import expat

from cryptography import x509

__all__ = ["SamlMetadata", "SamlMetadataError", "parse_saml_metadata"]

_MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
_DS = "{http://www.w3.org/2000/09/xmldsig#}"


class SamlMetadataError(ValueError):
    """The document is not SAML 2.0 identity provider metadata iamd can use."""


@dataclass(frozen=True, slots=True)
class SamlMetadata:
    """What a SAML provider needs from its metadata: the IdP's entity id (the ``Issuer`` of its
    assertions), the certificates its assertions are signed with, and when the metadata stops
    being valid (``validUntil``, None when the document sets none)."""

    entity_id: str
    signing_certificates: tuple[x509.Certificate, ...]
    valid_until: dt.datetime | None


class _Refused(Exception):
    pass


def _refuse(*_: object) -> None:
    raise _Refused


def _check_no_declarations(data: bytes) -> None:
    """A first, event-only pass: any DOCTYPE, entity or notation declaration is refused."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.NotationDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse  # type: ignore[assignment]
    try:
        parser.Parse(data, True)
    except (_Refused, expat.ExpatError):
        raise SamlMetadataError("document type declarations are not accepted") from None


def _entity(root: ET.Element) -> ET.Element:
    if root.tag == f"{_MD}EntityDescriptor":
        return root
    if root.tag == f"{_MD}EntitiesDescriptor":
        idps = [e for e in root.iter(f"{_MD}EntityDescriptor") if e.find(f"{_MD}IDPSSODescriptor")]
        if len(idps) == 1:
            return idps[0]
    raise SamlMetadataError("no single IdP EntityDescriptor")


def _datetime(text: str) -> dt.datetime:
    """An ``xs:dateTime`` (section 1.3.2 of the metadata specification); UTC when no zone."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise SamlMetadataError("validUntil is not a dateTime") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _certificate(text: str) -> x509.Certificate:
    try:
        der = base64.b64decode("".join(text.split()), validate=True)
        return x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError):
        raise SamlMetadataError("an X509Certificate is not a certificate") from None


def _signing_certificates(idp: ET.Element) -> tuple[x509.Certificate, ...]:
    certificates: list[x509.Certificate] = []
    for key in idp.findall(f"{_MD}KeyDescriptor"):
        # "use" absent: the key serves both signing and encryption (section 2.4.1.1).
        if key.get("use", "signing") != "signing":
            continue
        for element in key.iter(f"{_DS}X509Certificate"):
            certificates.append(_certificate(element.text or ""))
    if not certificates:
        raise SamlMetadataError("no signing certificate")
    return tuple(certificates)


def parse_saml_metadata(document: str) -> SamlMetadata:
    """The provider's metadata, or :class:`SamlMetadataError` for anything IAM would refuse."""
    data = document.encode("utf-8")
    _check_no_declarations(data)
    try:
        root = ET.fromstring(data)  # noqa: S314 - declarations refused above
    except ET.ParseError:
        raise SamlMetadataError("not well-formed XML") from None
    entity = _entity(root)
    entity_id = (entity.get("entityID") or "").strip()
    if not entity_id:
        raise SamlMetadataError("EntityDescriptor has no entityID")
    idp = entity.find(f"{_MD}IDPSSODescriptor")
    if idp is None:
        raise SamlMetadataError("no IDPSSODescriptor")
    if "urn:oasis:names:tc:SAML:2.0:protocol" not in idp.get("protocolSupportEnumeration", ""):
        raise SamlMetadataError("the IdP does not support SAML 2.0")
    valid_until = entity.get("validUntil") or root.get("validUntil")
    return SamlMetadata(
        entity_id=entity_id,
        signing_certificates=_signing_certificates(idp),
        valid_until=_datetime(valid_until) if valid_until else None,
    )
