"""Server certificates over HTTP with boto3: upload checked with ``cryptography`` (malformed
certificate, key pair mismatch, unusable keys), get, list, rename/move, delete, tags, quota."""

from __future__ import annotations

import datetime as dt
import re

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from iamd_testkit import Account, aws_error

NOW = dt.datetime.now(dt.UTC)


def _key_pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, password: bytes = b"") -> str:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, encryption
    ).decode()


def pair(
    *, days: int = 365, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None
) -> tuple[str, str, dt.datetime]:
    """A self-signed certificate (PEM), its private key (PEM) and its expiry."""
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "www.example.com")])
    expires = (NOW + dt.timedelta(days=days)).replace(microsecond=0)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=400))
        .not_valid_after(expires)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode(), _key_pem(key), expires


def test_upload_answers_metadata(account: Account) -> None:
    body, key, expires = pair()
    meta = account.iam().upload_server_certificate(
        ServerCertificateName="www", CertificateBody=body, PrivateKey=key, Path="/cloudfront/"
    )["ServerCertificateMetadata"]
    assert meta["ServerCertificateName"] == "www"
    assert meta["Path"] == "/cloudfront/"
    assert meta["Arn"] == f"arn:aws:iam::{account.id}:server-certificate/cloudfront/www"
    assert re.fullmatch(r"ASCA[A-Z2-7]{17}", meta["ServerCertificateId"])
    assert meta["Expiration"] == expires
    assert meta["UploadDate"].tzinfo is not None


def test_get_answers_body_and_chain_never_the_key(account: Account) -> None:
    iam = account.iam()
    body, key, _ = pair()
    chain, _, _ = pair(key=ec.generate_private_key(ec.SECP256R1()))
    iam.upload_server_certificate(
        ServerCertificateName="www", CertificateBody=body, PrivateKey=key, CertificateChain=chain
    )
    got = iam.get_server_certificate(ServerCertificateName="WWW")["ServerCertificate"]
    assert got["CertificateBody"] == body.strip()
    assert got["CertificateChain"] == chain.strip()
    assert "PrivateKey" not in got
    assert "PRIVATE KEY" not in str(got)
    assert got["ServerCertificateMetadata"]["ServerCertificateName"] == "www"


def test_ecdsa_keys_are_accepted(account: Account) -> None:
    body, key, _ = pair(key=ec.generate_private_key(ec.SECP384R1()))
    account.iam().upload_server_certificate(
        ServerCertificateName="ec", CertificateBody=body, PrivateKey=key
    )


def test_a_malformed_body_is_refused(account: Account) -> None:
    iam = account.iam()
    _, key, _ = pair()
    for body in (
        "not a certificate",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
    ):
        error = aws_error(
            iam.upload_server_certificate,
            ServerCertificateName="x",
            CertificateBody=body,
            PrivateKey=key,
        )
        assert (error.code, error.status) == ("MalformedCertificate", 400)
        assert error.message == (
            "Unable to parse certificate. Please ensure the certificate is in PEM format."
        )
    assert iam.list_server_certificates()["ServerCertificateMetadataList"] == []


def test_a_malformed_chain_is_refused(account: Account) -> None:
    body, key, _ = pair()
    error = aws_error(
        account.iam().upload_server_certificate,
        ServerCertificateName="x",
        CertificateBody=body,
        PrivateKey=key,
        CertificateChain="garbage",
    )
    assert error.code == "MalformedCertificate"


def test_a_key_of_another_certificate_is_a_mismatch(account: Account) -> None:
    body, _, _ = pair()
    _, other_key, _ = pair()
    error = aws_error(
        account.iam().upload_server_certificate,
        ServerCertificateName="x",
        CertificateBody=body,
        PrivateKey=other_key,
    )
    assert (error.code, error.status) == ("KeyPairMismatch", 400)
    assert error.message == "Public key certificate and private key doesn't match."


def test_unusable_private_keys(account: Account) -> None:
    iam = account.iam()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    body, _, _ = pair(key=key)
    encrypted = _key_pem(key, password=b"secret")
    error = aws_error(
        iam.upload_server_certificate,
        ServerCertificateName="x",
        CertificateBody=body,
        PrivateKey=encrypted,
    )
    assert error.code == "InvalidInput"
    error = aws_error(
        iam.upload_server_certificate,
        ServerCertificateName="x",
        CertificateBody=body,
        PrivateKey="nope",
    )
    assert error.code == "MalformedCertificate"
    p521 = ec.generate_private_key(ec.SECP521R1())
    body521, key521, _ = pair(key=p521)
    error = aws_error(
        iam.upload_server_certificate,
        ServerCertificateName="x",
        CertificateBody=body521,
        PrivateKey=key521,
    )
    assert error.code == "InvalidInput"
    assert iam.list_server_certificates()["ServerCertificateMetadataList"] == []


def test_an_expired_certificate_is_refused(account: Account) -> None:
    body, key, _ = pair(days=-1)
    error = aws_error(
        account.iam().upload_server_certificate,
        ServerCertificateName="x",
        CertificateBody=body,
        PrivateKey=key,
    )
    assert error.code == "MalformedCertificate"


def test_names_are_unique_regardless_of_case(account: Account) -> None:
    iam = account.iam()
    body, key, _ = pair()
    iam.upload_server_certificate(ServerCertificateName="www", CertificateBody=body, PrivateKey=key)
    error = aws_error(
        iam.upload_server_certificate,
        ServerCertificateName="WWW",
        CertificateBody=body,
        PrivateKey=key,
    )
    assert (error.code, error.status) == ("EntityAlreadyExists", 409)
    assert error.message == "The Server Certificate with name WWW already exists."


def test_get_unknown(account: Account) -> None:
    error = aws_error(account.iam().get_server_certificate, ServerCertificateName="nope")
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == "The Server Certificate with name nope cannot be found."


def test_list_by_path_prefix_with_pages(account: Account) -> None:
    iam = account.iam()
    body, key, _ = pair()
    for name, path in (("c", "/a/"), ("b", "/a/b/"), ("a", "/z/")):
        iam.upload_server_certificate(
            ServerCertificateName=name, CertificateBody=body, PrivateKey=key, Path=path
        )
    under_a = iam.list_server_certificates(PathPrefix="/a/")["ServerCertificateMetadataList"]
    assert [m["ServerCertificateName"] for m in under_a] == ["b", "c"]
    first = iam.list_server_certificates(MaxItems=2)
    assert first["IsTruncated"] is True
    rest = iam.list_server_certificates(Marker=first["Marker"])
    names = [m["ServerCertificateName"] for m in first["ServerCertificateMetadataList"]]
    names += [m["ServerCertificateName"] for m in rest["ServerCertificateMetadataList"]]
    assert names == ["a", "b", "c"]
    assert aws_error(iam.list_server_certificates, Marker="garbage").code == "ValidationError"


def test_update_renames_and_moves(account: Account) -> None:
    iam = account.iam()
    body, key, _ = pair()
    made = iam.upload_server_certificate(
        ServerCertificateName="old", CertificateBody=body, PrivateKey=key
    )["ServerCertificateMetadata"]
    iam.update_server_certificate(
        ServerCertificateName="old", NewServerCertificateName="new", NewPath="/moved/"
    )
    meta = iam.get_server_certificate(ServerCertificateName="new")["ServerCertificate"][
        "ServerCertificateMetadata"
    ]
    assert meta["ServerCertificateId"] == made["ServerCertificateId"]
    assert meta["Arn"] == f"arn:aws:iam::{account.id}:server-certificate/moved/new"
    assert aws_error(iam.get_server_certificate, ServerCertificateName="old").code == "NoSuchEntity"


def test_a_refused_rename_changes_nothing(account: Account) -> None:
    iam = account.iam()
    body, key, _ = pair()
    for name in ("one", "two"):
        iam.upload_server_certificate(
            ServerCertificateName=name, CertificateBody=body, PrivateKey=key
        )
    error = aws_error(
        iam.update_server_certificate, ServerCertificateName="one", NewServerCertificateName="TWO"
    )
    assert (error.code, error.status) == ("EntityAlreadyExists", 409)
    names = [
        m["ServerCertificateName"]
        for m in iam.list_server_certificates()["ServerCertificateMetadataList"]
    ]
    assert names == ["one", "two"]
    error = aws_error(iam.update_server_certificate, ServerCertificateName="nope", NewPath="/x/")
    assert error.code == "NoSuchEntity"


def test_delete(account: Account) -> None:
    iam = account.iam()
    body, key, _ = pair()
    iam.upload_server_certificate(
        ServerCertificateName="www",
        CertificateBody=body,
        PrivateKey=key,
        Tags=[{"Key": "a", "Value": "b"}],
    )
    iam.delete_server_certificate(ServerCertificateName="www")
    assert iam.list_server_certificates()["ServerCertificateMetadataList"] == []
    assert (
        aws_error(iam.delete_server_certificate, ServerCertificateName="www").code == "NoSuchEntity"
    )


def test_tags(account: Account) -> None:
    iam = account.iam()
    body, key, _ = pair()
    uploaded = iam.upload_server_certificate(
        ServerCertificateName="www",
        CertificateBody=body,
        PrivateKey=key,
        Tags=[{"Key": "a", "Value": "1"}],
    )
    assert uploaded["Tags"] == [{"Key": "a", "Value": "1"}]
    iam.tag_server_certificate(ServerCertificateName="www", Tags=[{"Key": "b", "Value": "2"}])
    iam.update_server_certificate(ServerCertificateName="www", NewServerCertificateName="web")
    iam.untag_server_certificate(ServerCertificateName="web", TagKeys=["a"])
    assert iam.list_server_certificate_tags(ServerCertificateName="web")["Tags"] == [
        {"Key": "b", "Value": "2"}
    ]
    got = iam.get_server_certificate(ServerCertificateName="web")["ServerCertificate"]
    assert got["Tags"] == [{"Key": "b", "Value": "2"}]
    error = aws_error(
        iam.tag_server_certificate,
        ServerCertificateName="web",
        Tags=[{"Key": "x", "Value": "1"}, {"Key": "X", "Value": "2"}],
    )
    assert error.code == "InvalidInput"
    for call, kwargs in (
        (iam.tag_server_certificate, {"Tags": [{"Key": "a", "Value": "b"}]}),
        (iam.untag_server_certificate, {"TagKeys": ["a"]}),
        (iam.list_server_certificate_tags, {}),
    ):
        assert aws_error(call, ServerCertificateName="nope", **kwargs).code == "NoSuchEntity"


def test_quota_of_20_per_account(account: Account) -> None:
    iam = account.iam()
    body, key, _ = pair()
    for i in range(20):
        iam.upload_server_certificate(
            ServerCertificateName=f"c{i}", CertificateBody=body, PrivateKey=key
        )
    error = aws_error(
        iam.upload_server_certificate,
        ServerCertificateName="c20",
        CertificateBody=body,
        PrivateKey=key,
    )
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Cannot exceed quota for ServerCertificatesPerAccount: 20"
    assert len(iam.list_server_certificates()["ServerCertificateMetadataList"]) == 20
