"""X.509 signing certificates of IAM users and of the root user: upload (checked with
cryptography), list, update, delete; AWS's refusals, which change nothing."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID

from iamd_testkit import Account, AccountMaker, aws_error


def _certificate(
    name: str = "signer",
    *,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    ed: bool = False,
) -> str:
    now = dt.datetime.now(dt.UTC)
    key: ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
    key = ed25519.Ed25519PrivateKey.generate() if ed else ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - dt.timedelta(days=1))
        .not_valid_after(not_after or now + dt.timedelta(days=365))
    )
    signed = builder.sign(key, None if ed else hashes.SHA256())
    return signed.public_bytes(serialization.Encoding.PEM).decode()


def test_upload_for_a_user(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    body = _certificate()
    certificate = iam.upload_signing_certificate(UserName="u", CertificateBody=body)["Certificate"]
    assert certificate["UserName"] == "u"
    assert len(certificate["CertificateId"]) == 28
    assert certificate["CertificateBody"] == body
    assert certificate["Status"] == "Active"
    assert "UploadDate" in certificate
    (listed,) = iam.list_signing_certificates(UserName="u")["Certificates"]
    assert listed == certificate


def test_upload_for_the_root_user(account: Account) -> None:
    iam = account.iam()
    certificate = iam.upload_signing_certificate(CertificateBody=_certificate())["Certificate"]
    (listed,) = iam.list_signing_certificates()["Certificates"]
    assert listed["CertificateId"] == certificate["CertificateId"]
    iam.create_user(UserName="u")
    assert iam.list_signing_certificates(UserName="u")["Certificates"] == []
    iam.update_signing_certificate(CertificateId=certificate["CertificateId"], Status="Inactive")
    assert iam.list_signing_certificates()["Certificates"][0]["Status"] == "Inactive"
    iam.delete_signing_certificate(CertificateId=certificate["CertificateId"])
    assert iam.list_signing_certificates()["Certificates"] == []


def test_malformed_certificates(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    error = aws_error(iam.upload_signing_certificate, UserName="u", CertificateBody="not-a-cert")
    assert (error.code, error.status) == ("MalformedCertificate", 400)
    assert error.message == "Certificate not-a-cert is malformed."
    broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    assert (
        aws_error(iam.upload_signing_certificate, UserName="u", CertificateBody=broken).code
        == "MalformedCertificate"
    )
    two = _certificate("a") + _certificate("b")
    assert (
        aws_error(iam.upload_signing_certificate, UserName="u", CertificateBody=two).code
        == "MalformedCertificate"
    )
    assert iam.list_signing_certificates(UserName="u")["Certificates"] == []


def test_expired_and_future_certificates(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    now = dt.datetime.now(dt.UTC)
    expired = _certificate(
        not_before=now - dt.timedelta(days=10), not_after=now - dt.timedelta(days=1)
    )
    error = aws_error(iam.upload_signing_certificate, UserName="u", CertificateBody=expired)
    assert (error.code, error.status) == ("MalformedCertificate", 400)
    future = _certificate(not_before=now + dt.timedelta(days=1))
    error = aws_error(iam.upload_signing_certificate, UserName="u", CertificateBody=future)
    assert (error.code, error.status) == ("InvalidCertificate", 400)
    error = aws_error(
        iam.upload_signing_certificate, UserName="u", CertificateBody=_certificate(ed=True)
    )
    assert (error.code, error.status) == ("InvalidCertificate", 400)
    assert iam.list_signing_certificates(UserName="u")["Certificates"] == []


def test_the_same_certificate_twice_in_an_account(
    account: Account, make_account: AccountMaker
) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_user(UserName="v")
    body = _certificate()
    iam.upload_signing_certificate(UserName="u", CertificateBody=body)
    error = aws_error(iam.upload_signing_certificate, UserName="v", CertificateBody=body)
    assert (error.code, error.status) == ("DuplicateCertificate", 409)
    assert iam.list_signing_certificates(UserName="v")["Certificates"] == []
    other = make_account().iam()
    other.create_user(UserName="u")
    other.upload_signing_certificate(UserName="u", CertificateBody=body)


def test_two_certificates_per_user(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    for n in range(2):
        iam.upload_signing_certificate(UserName="u", CertificateBody=_certificate(f"c{n}"))
    error = aws_error(
        iam.upload_signing_certificate, UserName="u", CertificateBody=_certificate("c2")
    )
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Cannot exceed quota for CertificatesPerUser: 2"
    assert len(iam.list_signing_certificates(UserName="u")["Certificates"]) == 2


def test_missing_user(account: Account) -> None:
    iam = account.iam()
    message = "The user with name nobody cannot be found."
    for call, kwargs in (
        (iam.upload_signing_certificate, {"CertificateBody": _certificate()}),
        (iam.list_signing_certificates, {}),
        (iam.update_signing_certificate, {"CertificateId": "A" * 28, "Status": "Active"}),
        (iam.delete_signing_certificate, {"CertificateId": "A" * 28}),
    ):
        error = aws_error(call, UserName="nobody", **kwargs)
        assert (error.code, error.status, error.message) == ("NoSuchEntity", 404, message)


def test_update_and_delete(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    certificate_id = iam.upload_signing_certificate(UserName="u", CertificateBody=_certificate())[
        "Certificate"
    ]["CertificateId"]
    iam.update_signing_certificate(UserName="u", CertificateId=certificate_id, Status="Inactive")
    assert iam.list_signing_certificates(UserName="u")["Certificates"][0]["Status"] == "Inactive"
    error = aws_error(
        iam.update_signing_certificate, UserName="u", CertificateId=certificate_id, Status="Expired"
    )
    assert (error.code, error.status) == ("InvalidInput", 400)
    iam.delete_signing_certificate(UserName="u", CertificateId=certificate_id)
    assert iam.list_signing_certificates(UserName="u")["Certificates"] == []


def test_a_missing_or_foreign_certificate_is_not_found(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_user(UserName="v")
    certificate_id = iam.upload_signing_certificate(UserName="u", CertificateBody=_certificate())[
        "Certificate"
    ]["CertificateId"]
    for user, wanted in (("u", "B" * 28), ("v", certificate_id)):
        message = f"The Certificate with id {wanted} cannot be found."
        error = aws_error(
            iam.update_signing_certificate, UserName=user, CertificateId=wanted, Status="Inactive"
        )
        assert (error.code, error.status, error.message) == ("NoSuchEntity", 404, message)
        error = aws_error(iam.delete_signing_certificate, UserName=user, CertificateId=wanted)
        assert (error.code, error.message) == ("NoSuchEntity", message)
    assert iam.list_signing_certificates(UserName="u")["Certificates"][0]["Status"] == "Active"


def test_delete_user_waits_for_its_certificates(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    certificate_id = iam.upload_signing_certificate(UserName="u", CertificateBody=_certificate())[
        "Certificate"
    ]["CertificateId"]
    error = aws_error(iam.delete_user, UserName="u")
    assert (error.code, error.status) == ("DeleteConflict", 409)
    assert error.message == "Cannot delete entity, must delete certificates first."
    iam.delete_signing_certificate(UserName="u", CertificateId=certificate_id)
    iam.delete_user(UserName="u")
