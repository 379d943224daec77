"""A SAML 2.0 identity provider for the tests: a signing key and certificate, the metadata
document IAM is given, and signed authentication responses built as IdPs build them (OASIS SAML
2.0 Core; "Configuring SAML assertions for the authentication response")."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree  # type: ignore[import-untyped]
from signxml.algorithms import CanonicalizationMethod
from signxml.signer import XMLSigner

AWS_RECIPIENT = "https://signin.aws.amazon.com/saml"
AWS_AUDIENCE = "urn:amazon:webservices"
ATTR = "https://aws.amazon.com/SAML/Attributes/"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class SamlIdp:
    entity_id: str = "https://idp.example.test/saml"
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    certificate: x509.Certificate | None = None

    def __post_init__(self) -> None:
        if self.certificate is None:
            now = dt.datetime.now(dt.UTC)
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.example.test")])
            self.certificate = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(name)
                .public_key(self.key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1))
                .not_valid_after(now + dt.timedelta(days=365))
                .sign(self.key, hashes.SHA256())
            )

    @property
    def cert(self) -> x509.Certificate:
        assert self.certificate is not None
        return self.certificate

    def metadata(self) -> str:
        der = base64.b64encode(self.cert.public_bytes(serialization.Encoding.DER)).decode()
        return (
            (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
                f'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{self.entity_id}">'
                "<md:IDPSSODescriptor "
                'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
                '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>'
                f"<ds:X509Certificate>{der}</ds:X509Certificate>"
                "</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
                f"<md:NameIDFormat>{PERSISTENT}</md:NameIDFormat>"
                "<md:SingleSignOnService "
                'Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
                'Location="https://idp.example.test/sso"/>'
                "</md:IDPSSODescriptor></md:EntityDescriptor>"
            )
            + "<!-- "
            + "padding " * 120
            + "-->"
        )

    def response_xml(
        self,
        *,
        roles: Sequence[str],
        session_name: str | None = "alice",
        subject: str = "alice-persistent-id",
        now: dt.datetime | None = None,
        lifetime: int = 300,
        audience: str = AWS_AUDIENCE,
        recipient: str = AWS_RECIPIENT,
        issuer: str | None = None,
        attributes: Mapping[str, Sequence[str]] | None = None,
        assertion_id: str | None = None,
        session_not_on_or_after: dt.datetime | None = None,
    ) -> str:
        """An unsigned Response with one Assertion (a signature placeholder inside it)."""
        now = now or dt.datetime.now(dt.UTC)
        until = now + dt.timedelta(seconds=lifetime)
        issuer = issuer or self.entity_id
        assertion_id = assertion_id or f"_{uuid.uuid4().hex}"
        attrs: dict[str, Sequence[str]] = {ATTR + "Role": roles}
        if session_name is not None:
            attrs[ATTR + "RoleSessionName"] = [session_name]
        attrs.update(attributes or {})
        attribute_xml = "".join(
            f"<saml:Attribute Name={quoteattr(name)}>"
            + "".join(f"<saml:AttributeValue>{escape(v)}</saml:AttributeValue>" for v in values)
            + "</saml:Attribute>"
            for name, values in attrs.items()
        )
        session_end = (
            f' SessionNotOnOrAfter="{_iso(session_not_on_or_after)}"'
            if session_not_on_or_after
            else ""
        )
        return (
            '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            f'ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_iso(now)}" '
            f'Destination="{AWS_RECIPIENT}">'
            f"<saml:Issuer>{escape(issuer)}</saml:Issuer>"
            '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
            "</samlp:Status>"
            f'<saml:Assertion ID="{assertion_id}" Version="2.0" IssueInstant="{_iso(now)}">'
            f"<saml:Issuer>{escape(issuer)}</saml:Issuer>"
            '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="placeholder"/>'
            f'<saml:Subject><saml:NameID Format="{PERSISTENT}">{escape(subject)}</saml:NameID>'
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData NotOnOrAfter="{_iso(until)}" '
            f"Recipient={quoteattr(recipient)}/>"
            "</saml:SubjectConfirmation></saml:Subject>"
            f'<saml:Conditions NotBefore="{_iso(now - dt.timedelta(seconds=5))}" '
            f'NotOnOrAfter="{_iso(until)}">'
            f"<saml:AudienceRestriction><saml:Audience>{escape(audience)}</saml:Audience>"
            "</saml:AudienceRestriction></saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{_iso(now)}"{session_end}>'
            "<saml:AuthnContext><saml:AuthnContextClassRef>"
            "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
            f"<saml:AttributeStatement>{attribute_xml}</saml:AttributeStatement>"
            "</saml:Assertion></samlp:Response>"
        )

    def sign(self, response_xml: str, key: rsa.RSAPrivateKey | None = None) -> bytes:
        """The Response with its Assertion signed (enveloped, exclusive c14n, RSA-SHA256)."""
        root = etree.fromstring(response_xml.encode())
        assertion = root.find("{urn:oasis:names:tc:SAML:2.0:assertion}Assertion")
        signer = XMLSigner(c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0)
        signed_assertion = signer.sign(
            assertion,
            key=key or self.key,
            cert=[self.cert],
            reference_uri=assertion.get("ID"),
            id_attribute="ID",
        )
        root.replace(assertion, signed_assertion)
        data: bytes = etree.tostring(root)
        return data

    def response(self, **kwargs: object) -> str:
        """A signed response, base64 as the SAMLAssertion parameter takes it."""
        return base64.b64encode(self.sign(self.response_xml(**kwargs))).decode()  # type: ignore[arg-type]
