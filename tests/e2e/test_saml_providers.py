"""SAML providers over HTTP with boto3 (and one with the AWS CLI): the metadata document parsed
and checked, certificates and validity extracted, private keys kept secret, tags, errors."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from iamd_testkit import Account, aws_cli, aws_error

ENTITY_ID = "https://idp.example.com/saml"


def _certificate(common_name: str = "idp.example.com") -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )


def metadata(
    *,
    entity_id: str = ENTITY_ID,
    valid_until: str | None = "2031-01-01T00:00:00Z",
    certificates: tuple[x509.Certificate, ...] | None = None,
    use: str = "signing",
    doctype: str = "",
) -> str:
    """IdP metadata as identity providers publish it, padded past the model's 1000 characters."""
    certs = certificates if certificates is not None else (_certificate(),)
    keys = "".join(
        f'<md:KeyDescriptor use="{use}"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
        "<ds:X509Data><ds:X509Certificate>"
        + base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode()
        + "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        for c in certs
    )
    until = f' validUntil="{valid_until}"' if valid_until else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}\n'
        f'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        f'entityID="{entity_id}"{until}>\n'
        '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        f"{keys}"
        "<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>"
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        'Location="https://idp.example.com/saml/sso"/>'
        "</md:IDPSSODescriptor>\n"
        f"<!-- {'padding ' * 60} -->\n"
        "</md:EntityDescriptor>\n"
    )


def _rsa_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _arn(account: Account, name: str) -> str:
    return f"arn:aws:iam::{account.id}:saml-provider/{name}"


def test_create_and_get(account: Account) -> None:
    iam = account.iam()
    document = metadata()
    created = iam.create_saml_provider(SAMLMetadataDocument=document, Name="Corp")
    assert created["SAMLProviderArn"] == _arn(account, "Corp")
    got = iam.get_saml_provider(SAMLProviderArn=created["SAMLProviderArn"])
    assert got["SAMLMetadataDocument"] == document
    assert got["ValidUntil"] == dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
    assert got["CreateDate"].tzinfo is not None
    assert re.fullmatch(r"[A-Z0-9]{22,64}", got["SAMLProviderUUID"])
    assert "PrivateKeyList" not in got
    assert "Tags" not in got


def test_list_answers_arn_validity_and_date(account: Account) -> None:
    iam = account.iam()
    iam.create_saml_provider(SAMLMetadataDocument=metadata(valid_until=None), Name="B")
    iam.create_saml_provider(SAMLMetadataDocument=metadata(), Name="A")
    listed = iam.list_saml_providers()["SAMLProviderList"]
    assert [p["Arn"] for p in listed] == [_arn(account, "A"), _arn(account, "B")]
    assert listed[0]["ValidUntil"] == dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
    assert "ValidUntil" not in listed[1]
    assert all("CreateDate" in p for p in listed)


def test_invalid_metadata_is_refused_with_awss_message(account: Account) -> None:
    iam = account.iam()
    padding = " " * 1000
    for document in (
        "<not-xml" + padding,
        f"<md:EntityDescriptor xmlns:md='urn:x'/>{padding}",
        metadata(certificates=()),
        metadata(use="encryption"),
        metadata(entity_id=""),
        metadata().replace("MII", "!!!", 1),
        metadata().replace("SAML:2.0:protocol", "SAML:1.1:protocol"),
    ):
        error = aws_error(iam.create_saml_provider, SAMLMetadataDocument=document, Name="Bad")
        assert (error.code, error.status) == ("InvalidInput", 400)
        assert error.message == "Could not parse metadata"
    assert iam.list_saml_providers()["SAMLProviderList"] == []


def test_entity_declarations_are_refused(account: Account) -> None:
    iam = account.iam()
    secret = Path("/etc/hostname")
    for doctype in (
        '<!DOCTYPE md [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
        f'<!DOCTYPE md [<!ENTITY x SYSTEM "file://{secret}">]>',
        "<!DOCTYPE md>",
    ):
        document = metadata(doctype=doctype, entity_id="&b;" if "b" in doctype else ENTITY_ID)
        error = aws_error(iam.create_saml_provider, SAMLMetadataDocument=document, Name="X")
        assert (error.code, error.message) == ("InvalidInput", "Could not parse metadata")
    assert iam.list_saml_providers()["SAMLProviderList"] == []


def test_metadata_too_short_is_a_validation_error(account: Account) -> None:
    error = aws_error(account.iam().create_saml_provider, SAMLMetadataDocument="<x/>", Name="X")
    assert (error.code, error.status) == ("ValidationError", 400)


def test_names_are_unique_regardless_of_case(account: Account) -> None:
    iam = account.iam()
    iam.create_saml_provider(SAMLMetadataDocument=metadata(), Name="Corp")
    error = aws_error(iam.create_saml_provider, SAMLMetadataDocument=metadata(), Name="CORP")
    assert (error.code, error.status) == ("EntityAlreadyExists", 409)
    assert len(iam.list_saml_providers()["SAMLProviderList"]) == 1


def test_name_rules(account: Account) -> None:
    error = aws_error(
        account.iam().create_saml_provider, SAMLMetadataDocument=metadata(), Name="bad name"
    )
    assert error.code == "ValidationError"


def test_update_replaces_the_metadata(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_saml_provider(SAMLMetadataDocument=metadata(), Name="Corp")["SAMLProviderArn"]
    newer = metadata(valid_until="2035-06-01T12:00:00Z")
    updated = iam.update_saml_provider(SAMLProviderArn=arn, SAMLMetadataDocument=newer)
    assert updated["SAMLProviderArn"] == arn
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert got["SAMLMetadataDocument"] == newer
    assert got["ValidUntil"] == dt.datetime(2035, 6, 1, 12, tzinfo=dt.UTC)


def test_a_refused_update_changes_nothing(account: Account) -> None:
    iam = account.iam()
    document = metadata()
    arn = iam.create_saml_provider(SAMLMetadataDocument=document, Name="Corp")["SAMLProviderArn"]
    error = aws_error(
        iam.update_saml_provider, SAMLProviderArn=arn, SAMLMetadataDocument="<x>" + " " * 1000
    )
    assert (error.code, error.message) == ("InvalidInput", "Could not parse metadata")
    assert iam.get_saml_provider(SAMLProviderArn=arn)["SAMLMetadataDocument"] == document
    missing = _arn(account, "Nope")
    error = aws_error(
        iam.update_saml_provider, SAMLProviderArn=missing, SAMLMetadataDocument=document
    )
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == f"Manifest not found for arn {missing}"


def test_private_keys_are_answered_by_id_and_time_only(account: Account) -> None:
    iam = account.iam()
    pem = _rsa_key_pem()
    arn = iam.create_saml_provider(
        SAMLMetadataDocument=metadata(),
        Name="Enc",
        AssertionEncryptionMode="Required",
        AddPrivateKey=pem,
    )["SAMLProviderArn"]
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert got["AssertionEncryptionMode"] == "Required"
    [key] = got["PrivateKeyList"]
    assert set(key) == {"KeyId", "Timestamp"}
    assert re.fullmatch(r"[A-Z0-9]{22,64}", key["KeyId"])
    assert "PRIVATE KEY" not in json.dumps(got, default=str)


def test_private_key_rotation(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_saml_provider(
        SAMLMetadataDocument=metadata(), Name="Enc", AddPrivateKey=_rsa_key_pem()
    )["SAMLProviderArn"]
    [old] = iam.get_saml_provider(SAMLProviderArn=arn)["PrivateKeyList"]
    iam.update_saml_provider(SAMLProviderArn=arn, AddPrivateKey=_rsa_key_pem())
    keys = iam.get_saml_provider(SAMLProviderArn=arn)["PrivateKeyList"]
    assert len(keys) == 2
    error = aws_error(iam.update_saml_provider, SAMLProviderArn=arn, AddPrivateKey=_rsa_key_pem())
    assert (error.code, error.status) == ("LimitExceeded", 409)
    iam.update_saml_provider(SAMLProviderArn=arn, RemovePrivateKey=old["KeyId"])
    remaining = iam.get_saml_provider(SAMLProviderArn=arn)["PrivateKeyList"]
    assert [k["KeyId"] for k in remaining] == [k["KeyId"] for k in keys if k != old]


def test_private_key_errors_change_nothing(account: Account) -> None:
    iam = account.iam()
    error = aws_error(
        iam.create_saml_provider,
        SAMLMetadataDocument=metadata(),
        Name="Enc",
        AssertionEncryptionMode="Required",
    )
    assert error.code == "InvalidInput"
    error = aws_error(
        iam.create_saml_provider,
        SAMLMetadataDocument=metadata(),
        Name="Enc",
        AddPrivateKey="-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----",
    )
    assert error.code == "InvalidInput"
    assert iam.list_saml_providers()["SAMLProviderList"] == []
    arn = iam.create_saml_provider(
        SAMLMetadataDocument=metadata(), Name="Enc", AddPrivateKey=_rsa_key_pem()
    )["SAMLProviderArn"]
    error = aws_error(iam.update_saml_provider, SAMLProviderArn=arn, RemovePrivateKey="A" * 22)
    assert error.code == "InvalidInput"
    assert len(iam.get_saml_provider(SAMLProviderArn=arn)["PrivateKeyList"]) == 1
    iam.update_saml_provider(SAMLProviderArn=arn, AssertionEncryptionMode="Required")
    [key] = iam.get_saml_provider(SAMLProviderArn=arn)["PrivateKeyList"]
    error = aws_error(iam.update_saml_provider, SAMLProviderArn=arn, RemovePrivateKey=key["KeyId"])
    assert error.code == "InvalidInput"
    assert len(iam.get_saml_provider(SAMLProviderArn=arn)["PrivateKeyList"]) == 1


def test_trusted_identity_propagation_is_refused(account: Account) -> None:
    iam = account.iam()
    error = aws_error(
        iam.create_saml_provider,
        SAMLMetadataDocument=metadata(),
        Name="Tip",
        ContextProvider={"SubjectSourceKey": "NameID"},
    )
    assert error.code == "InvalidInput"
    assert iam.list_saml_providers()["SAMLProviderList"] == []


def test_delete(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_saml_provider(
        SAMLMetadataDocument=metadata(), Name="Corp", Tags=[{"Key": "k", "Value": "v"}]
    )["SAMLProviderArn"]
    iam.delete_saml_provider(SAMLProviderArn=arn)
    assert iam.list_saml_providers()["SAMLProviderList"] == []
    for call in (iam.get_saml_provider, iam.delete_saml_provider, iam.list_saml_provider_tags):
        assert aws_error(call, SAMLProviderArn=arn).code == "NoSuchEntity"
    iam.create_saml_provider(SAMLMetadataDocument=metadata(), Name="Corp")
    assert "Tags" not in iam.get_saml_provider(SAMLProviderArn=arn)


def test_bad_arn_is_invalid_input(account: Account) -> None:
    bad = f"arn:aws:iam::{account.id}:oidc-provider/x.example"
    error = aws_error(account.iam().get_saml_provider, SAMLProviderArn=bad)
    assert (error.code, error.message) == ("InvalidInput", f"ARN {bad} is not valid.")


def test_tags(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_saml_provider(
        SAMLMetadataDocument=metadata(), Name="Corp", Tags=[{"Key": "a", "Value": "1"}]
    )["SAMLProviderArn"]
    assert iam.get_saml_provider(SAMLProviderArn=arn)["Tags"] == [{"Key": "a", "Value": "1"}]
    iam.tag_saml_provider(SAMLProviderArn=arn, Tags=[{"Key": "b", "Value": "2"}])
    iam.untag_saml_provider(SAMLProviderArn=arn, TagKeys=["A"])
    assert iam.list_saml_provider_tags(SAMLProviderArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    error = aws_error(
        iam.tag_saml_provider, SAMLProviderArn=arn, Tags=[{"Key": "AWS:x", "Value": "1"}]
    )
    assert error.code == "InvalidInput"
    assert iam.list_saml_provider_tags(SAMLProviderArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]


def test_the_certificates_are_kept_for_federation(account: Account) -> None:
    """The STS side reads the provider's signing certificates and entity id through
    ``saml_provider_certificates``; here through the same store the server uses."""
    from iamd.server import ServerConfig, open_data
    from iamd.services.iam.saml_providers import saml_provider_certificates

    first, second = _certificate("one"), _certificate("two")
    arn = account.iam().create_saml_provider(
        SAMLMetadataDocument=metadata(certificates=(first, second)), Name="Corp"
    )["SAMLProviderArn"]
    server = account.server
    opened = open_data(
        ServerConfig(data_dir=server.data_dir, database_url=server.database_url),
        server.env,
        create=False,
    )
    try:
        with opened.store.unit_of_work() as uow:
            found = saml_provider_certificates(uow, arn)
            missing = saml_provider_certificates(uow, _arn(account, "Nope"))
    finally:
        opened.store.close()
    assert found is not None and missing is None
    assert found.entity_id == ENTITY_ID
    assert list(found.signing_certificates) == [first, second]


def test_with_the_aws_cli(account: Account, tmp_path: Path) -> None:
    path = tmp_path / "metadata.xml"
    path.write_text(metadata())
    created = aws_cli(
        account,
        "iam",
        "create-saml-provider",
        "--name",
        "CliCorp",
        "--saml-metadata-document",
        f"file://{path}",
    )
    assert created.returncode == 0, created.stderr
    arn = json.loads(created.stdout)["SAMLProviderArn"]
    assert arn == _arn(account, "CliCorp")
    got = aws_cli(account, "iam", "get-saml-provider", "--saml-provider-arn", arn)
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["SAMLMetadataDocument"] == path.read_text()
