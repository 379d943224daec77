"""SAML response verification: signature by the provider's certificate over what is read,
issuer, audience, recipient, validity times, and no document type declarations at all."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from iamd.errors import ExpiredTokenException, InvalidIdentityToken
from iamd.services.sts.saml_assertions import decoded_response, verified_assertion
from sts.saml_idp import SamlIdp

ROLE = "arn:aws:iam::123456789012:role/R,arn:aws:iam::123456789012:saml-provider/P"
NOW = dt.datetime.now(dt.UTC)


def _verify(idp: SamlIdp, data: bytes, *, now: dt.datetime = NOW) -> object:
    return verified_assertion(data, certificates=[idp.cert], entity_id=idp.entity_id, now=now)


def _signed(idp: SamlIdp, **kwargs: object) -> bytes:
    return idp.sign(idp.response_xml(roles=[ROLE], now=NOW, **kwargs))  # type: ignore[arg-type]


def test_a_signed_response_is_read() -> None:
    idp = SamlIdp()
    assertion = _verify(idp, decoded_response(base64.b64encode(_signed(idp)).decode()))
    assert assertion.name_id == "alice-persistent-id"  # type: ignore[attr-defined]
    assert assertion.attribute("https://aws.amazon.com/SAML/Attributes/Role") == (ROLE,)  # type: ignore[attr-defined]


def test_a_changed_response_fails_its_signature() -> None:
    idp = SamlIdp()
    data = _signed(idp).replace(b"alice-persistent-id", b"mallory-persistent-id")
    with pytest.raises(InvalidIdentityToken, match="Response signature invalid"):
        _verify(idp, data)


def test_a_response_signed_by_another_key_is_refused() -> None:
    idp, impostor = SamlIdp(), SamlIdp()
    data = impostor.sign(impostor.response_xml(roles=[ROLE], now=NOW))
    with pytest.raises(InvalidIdentityToken, match="Response signature invalid"):
        _verify(idp, data)


def test_an_unsigned_response_is_refused() -> None:
    idp = SamlIdp()
    unsigned = idp.response_xml(roles=[ROLE], now=NOW).replace(
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="placeholder"/>', ""
    )
    with pytest.raises(InvalidIdentityToken):
        _verify(idp, unsigned.encode())


def test_an_unsigned_assertion_slipped_beside_a_signed_one_is_not_read() -> None:
    """Signature wrapping: only the signed element's content is read."""
    idp = SamlIdp()
    signed = _signed(idp).decode()
    evil = idp.response_xml(roles=[ROLE], now=NOW, subject="mallory").split("<saml:Assertion", 1)[1]
    evil_assertion = "<saml:Assertion" + evil.split("</saml:Assertion>", 1)[0] + "</saml:Assertion>"
    evil_assertion = evil_assertion.replace(
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="placeholder"/>', ""
    )
    wrapped = signed.replace("<saml:Assertion", evil_assertion + "<saml:Assertion", 1)
    assertion = _verify(idp, wrapped.encode())
    assert assertion.name_id == "alice-persistent-id"  # type: ignore[attr-defined]


def test_the_issuer_must_be_the_providers() -> None:
    idp = SamlIdp()
    with pytest.raises(InvalidIdentityToken, match="Issuer not present in specified provider"):
        _verify(idp, _signed(idp, issuer="https://evil.example.test/saml"))


def test_the_audience_must_be_aws() -> None:
    idp = SamlIdp()
    with pytest.raises(InvalidIdentityToken, match="required audience"):
        _verify(idp, _signed(idp, audience="https://app.example.test"))


@pytest.mark.parametrize(
    "audience",
    [
        "urn:amazon:webservices",
        "https://signin.aws.amazon.com/saml",
        "urn:amazon:webservices:eu-west-1",
    ],
)
def test_aws_audiences(audience: str) -> None:
    idp = SamlIdp()
    assert _verify(idp, _signed(idp, audience=audience))


def test_the_recipient_must_be_aws_sign_in() -> None:
    idp = SamlIdp()
    with pytest.raises(InvalidIdentityToken):
        _verify(idp, _signed(idp, recipient="https://app.example.test/acs"))


def test_an_expired_assertion_is_refused() -> None:
    idp = SamlIdp()
    with pytest.raises(ExpiredTokenException):
        _verify(idp, _signed(idp, lifetime=60), now=NOW + dt.timedelta(seconds=61))


def test_an_assertion_not_yet_valid_is_refused() -> None:
    idp = SamlIdp()
    with pytest.raises(InvalidIdentityToken, match="not yet valid"):
        _verify(idp, _signed(idp), now=NOW - dt.timedelta(minutes=5))


XXE = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>'
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    "<r>&lol3;</r>"
)


@pytest.mark.parametrize("document", [XXE, LAUGHS, "<!DOCTYPE r><r/>"])
def test_document_type_declarations_are_refused(document: str) -> None:
    with pytest.raises(InvalidIdentityToken):
        decoded_response(base64.b64encode(document.encode()).decode())


def test_not_base64_is_refused() -> None:
    with pytest.raises(InvalidIdentityToken):
        decoded_response("<samlp:Response/>")
