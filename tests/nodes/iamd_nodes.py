"""Machinery for the tests of several nodes on one data set: nodes sharing a database and a
master key, accounts seen through any node, and requests fired at once from threads."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import os
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError, EndpointConnectionError

from iamd_testkit import (
    DEFAULT_ACCOUNT,
    ROOT_KEY_ID,
    ROOT_SECRET,
    Account,
    AccountMaker,
    Server,
    free_port,
    server_env,
)


def new_master_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass
class Cluster:
    """Nodes serving one data set: one database, one master key."""

    nodes: list[Server]
    maker: AccountMaker

    def account(self) -> list[Account]:
        """A fresh account, as seen through each node (same id and root key)."""
        made = self.maker()
        return [dataclasses.replace(made, server=node) for node in self.nodes]

    def default_account(self) -> list[Account]:
        return [Account(node, DEFAULT_ACCOUNT, ROOT_KEY_ID, ROOT_SECRET) for node in self.nodes]


def node(
    tmp: Path,
    name: str,
    database_url: str | None,
    env: dict[str, str],
    *,
    data_dir: Path | None = None,
) -> Server:
    """A node (not started) with its own data directory unless ``data_dir`` is shared."""
    return Server(data_dir or tmp / name / "data", free_port(), dict(env), database_url)


@contextlib.contextmanager
def cluster(
    tmp: Path, database_url: str, *, count: int = 2, env: dict[str, str] | None = None
) -> Iterator[Cluster]:
    """``count`` started nodes on ``database_url``, sharing a master key through
    ``IAMD_MASTER_KEY`` (each has its own data directory)."""
    shared = server_env({"IAMD_MASTER_KEY": new_master_key(), **(env or {})})
    nodes = [node(tmp, f"node{i}", database_url, shared) for i in range(count)]
    maker: AccountMaker | None = None
    try:
        for each in nodes:
            each.start()
        maker = AccountMaker(nodes[0])
        yield Cluster(nodes, maker)
    finally:
        if maker is not None:
            maker.close()
        for each in nodes:
            each.stop()


@dataclass(frozen=True)
class Outcome:
    """What one raced call answered: its result, or the AWS error code."""

    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def call(fn: Callable[[], Any]) -> Outcome:
    try:
        return Outcome(value=fn())
    except ClientError as err:
        return Outcome(error=str(err.response["Error"]["Code"]))
    except EndpointConnectionError:
        return Outcome(error="ConnectionError")


def race(count: int, make: Callable[[int], Any]) -> list[Outcome]:
    """Run ``make(0)`` ... ``make(count - 1)`` at once, one thread each, released together by a
    barrier; their outcomes in that order."""
    barrier = threading.Barrier(count)
    outcomes: list[Outcome | None] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        outcomes[index] = call(lambda: make(index))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(o is not None for o in outcomes), "a raced call did not finish"
    return [o for o in outcomes if o is not None]


def codes(outcomes: Sequence[Outcome]) -> dict[str, int]:
    """How many outcomes per answer ("ok" or the error code)."""
    found: dict[str, int] = {}
    for outcome in outcomes:
        key = "ok" if outcome.ok else str(outcome.error)
        found[key] = found.get(key, 0) + 1
    return found


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# -- a data set holding every kind of stored secret -------------------------------------------


def _self_signed(key: Any, common_name: str) -> Any:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

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


def _pem_key(key: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    return str(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    )


def _saml_metadata() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    certificate = _self_signed(ec.generate_private_key(ec.SECP256R1()), "idp.example.com")
    der = base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        'entityID="https://idp.example.com/saml" validUntil="2031-01-01T00:00:00Z">\n'
        '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
        f"<ds:X509Data><ds:X509Certificate>{der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
        "</md:KeyDescriptor>"
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        'Location="https://idp.example.com/saml/sso"/>'
        "</md:IDPSSODescriptor>\n"
        f"<!-- {'padding ' * 60} -->\n"
        "</md:EntityDescriptor>\n"
    )


def store_every_kind_of_secret(root: Account, user: str = "keeper") -> tuple[str, str]:
    """A user with an access key (returned), a virtual MFA device, a service-specific
    credential, a server certificate and a SAML provider with a private key: one row in each
    encrypted column."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    iam = root.iam()
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    iam.create_virtual_mfa_device(VirtualMFADeviceName=f"{user}-mfa")
    iam.create_service_specific_credential(UserName=user, ServiceName="codecommit.amazonaws.com")
    server_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = _self_signed(server_key, "www.example.com")
    iam.upload_server_certificate(
        ServerCertificateName=f"{user}-cert",
        CertificateBody=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        PrivateKey=_pem_key(server_key),
    )
    iam.create_saml_provider(
        SAMLMetadataDocument=_saml_metadata(),
        Name=f"{user}-idp",
        AddPrivateKey=_pem_key(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
    )
    return key["AccessKeyId"], key["SecretAccessKey"]


def secret_key_ids(server: Server) -> dict[tuple[str, str], set[str]]:
    """The master key ids that the data set's stored secrets are sealed under, per column."""
    from sqlalchemy import create_engine, select

    from iamd.credentials import MasterKeyring
    from iamd.server.rekey import SECRET_COLUMNS
    from iamd.storage.sql import schema, sqlite_url

    reader = MasterKeyring(secrets.token_bytes(32))
    engine = create_engine(server.database_url or sqlite_url(server.data_dir))
    found: dict[tuple[str, str], set[str]] = {}
    try:
        with engine.connect() as conn:
            for table, column in SECRET_COLUMNS:
                values = conn.execute(select(schema.metadata.tables[table].c[column])).scalars()
                found[(table, column)] = {reader.blob_key_id(bytes(v)) for v in values if v}
    finally:
        engine.dispose()
    return found


def key_file_ids(data_dir: Path) -> list[str]:
    """The key ids in ``<data_dir>/master.key``, the active one first."""
    lines = (data_dir / "master.key").read_text().splitlines()
    return [line.split()[1] for line in lines if line.startswith(("active ", "old "))]
