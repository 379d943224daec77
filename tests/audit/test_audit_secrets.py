"""No secret a test creates — secret access keys, passwords, MFA seeds, session tokens, service
passwords, private keys — appears in the audit log or in any other log of the server, while the
requests that carried them are recorded (masked)."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.parse
from collections.abc import Iterable
from typing import Any

import boto3
import pyotp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from audit.audit_helpers import record_of, records, request_id
from iamd_testkit import CLIENT_CONFIG, Account, Server

HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"


def _logs(server: Server) -> dict[str, str]:
    """Every log the server writes: the audit log (and anything rotated beside it), its
    standard output and error, and any other ``*log*`` file in its data directory."""
    found = {
        str(path): path.read_text(errors="replace")
        for path in server.data_dir.rglob("*")
        if path.is_file() and "log" in path.name
    }
    found["server output"] = server.log()
    return found


def assert_nowhere(server: Server, secrets: Iterable[str]) -> None:
    wanted = [s for s in secrets if s]
    assert wanted
    logs = _logs(server)
    assert any("audit.log" in name for name in logs)
    for secret in wanted:
        for form in {secret, urllib.parse.quote(secret, safe=""), json.dumps(secret)[1:-1]}:
            for name, text in logs.items():
                assert form not in text, f"a secret is in {name}"


def _client(server: Server, service: str, key: str, secret: str, token: str | None = None) -> Any:
    return boto3.client(
        service,
        endpoint_url=server.endpoint,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=CLIENT_CONFIG,
    )


def _admin(acct: Account, name: str) -> tuple[Any, str, str]:
    iam = acct.iam()
    iam.create_user(UserName=name)
    allow_all = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    iam.put_user_policy(UserName=name, PolicyName="all", PolicyDocument=json.dumps(allow_all))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return iam, key["AccessKeyId"], key["SecretAccessKey"]


def test_secret_access_keys(audited: Server, acct: Account) -> None:
    iam = acct.iam()
    iam.create_user(UserName="keyed")
    answer = iam.create_access_key(UserName="keyed")
    secret = answer["AccessKey"]["SecretAccessKey"]
    record = record_of(audited, request_id(answer))
    assert record["responseElements"]["accessKey"]["secretAccessKey"] == HIDDEN
    key_id = answer["AccessKey"]["AccessKeyId"]
    used = _client(audited, "sts", key_id, secret).get_caller_identity()
    record_of(audited, request_id(used))
    assert_nowhere(audited, [secret, acct.root_secret])


def test_passwords(audited: Server, acct: Account) -> None:
    iam, key_id, key_secret = _admin(acct, "walker")
    first, second, third = "Fir5t-Pa55word!x", "Sec0nd-Pa55word!y", "Th1rd-Pa55word!z"
    created = iam.create_login_profile(UserName="walker", Password=first)
    assert record_of(audited, request_id(created))["requestParameters"]["password"] == HIDDEN
    iam.update_login_profile(UserName="walker", Password=second)
    changed = _client(audited, "iam", key_id, key_secret).change_password(
        OldPassword=second, NewPassword=third
    )
    params = record_of(audited, request_id(changed))["requestParameters"]
    assert params == {"oldPassword": HIDDEN, "newPassword": HIDDEN}
    assert_nowhere(audited, [first, second, third, key_secret])


def test_mfa_seeds_and_codes(audited: Server, acct: Account) -> None:
    iam = acct.iam()
    iam.create_user(UserName="mfa-user")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"]
    seed = device["Base32StringSeed"].decode()
    totp = pyotp.TOTP(seed)
    now = time.time()
    enabled = iam.enable_mfa_device(
        UserName="mfa-user",
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=totp.at(now - 60),
        AuthenticationCode2=totp.at(now - 30),
    )
    params = record_of(audited, request_id(enabled))["requestParameters"]
    assert params["authenticationCode1"] == HIDDEN
    assert params["authenticationCode2"] == HIDDEN
    assert_nowhere(audited, [seed])


def test_session_credentials(audited: Server, acct: Account) -> None:
    iam, key_id, key_secret = _admin(acct, "traveller")
    role_arn = iam.create_role(
        RoleName="visited",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{acct.id}:root"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]
    iam.put_role_policy(
        RoleName="visited",
        PolicyName="reads",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}],
            }
        ),
    )
    sts = _client(audited, "sts", key_id, key_secret)
    secrets = [key_secret]
    answers = [
        sts.get_session_token(),
        sts.assume_role(RoleArn=role_arn, RoleSessionName="trip"),
        sts.get_federation_token(
            Name="fed",
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "sts:*", "Resource": "*"}],
                }
            ),
        ),
    ]
    for answer in answers:
        credentials = answer["Credentials"]
        secrets += [credentials["SecretAccessKey"], credentials["SessionToken"]]
        used = _client(
            audited,
            "sts",
            credentials["AccessKeyId"],
            credentials["SecretAccessKey"],
            credentials["SessionToken"],
        ).get_caller_identity()
        record = record_of(audited, request_id(used))
        assert record["userIdentity"]["accessKeyId"] == credentials["AccessKeyId"]
        assert record["userIdentity"]["sessionContext"]["attributes"]["mfaAuthenticated"] == "false"
    record_of(audited, request_id(answers[-1]))
    assert_nowhere(audited, secrets)


def test_service_passwords(audited: Server, acct: Account) -> None:
    iam = acct.iam()
    iam.create_user(UserName="coder")
    created = iam.create_service_specific_credential(
        UserName="coder", ServiceName="codecommit.amazonaws.com"
    )["ServiceSpecificCredential"]
    reset = iam.reset_service_specific_credential(
        UserName="coder", ServiceSpecificCredentialId=created["ServiceSpecificCredentialId"]
    )
    record_of(audited, request_id(reset))
    assert_nowhere(
        audited,
        [created["ServicePassword"], reset["ServiceSpecificCredential"]["ServicePassword"]],
    )


def _certificate() -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "audit.example.com")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    return cert.public_bytes(serialization.Encoding.PEM).decode(), pem


def test_private_keys(audited: Server, acct: Account) -> None:
    body, private_key = _certificate()
    answer = acct.iam().upload_server_certificate(
        ServerCertificateName="www", CertificateBody=body, PrivateKey=private_key
    )
    record = record_of(audited, request_id(answer))
    assert record["requestParameters"]["privateKey"] == HIDDEN
    key_lines = [line for line in private_key.splitlines() if not line.startswith("-----")]
    assert_nowhere(audited, key_lines)


def test_every_record_is_one_json_object(audited: Server, acct: Account) -> None:
    record_of(audited, request_id(acct.iam().list_users()))
    found = records(audited)
    assert found
    assert all(isinstance(r, dict) and "eventID" in r for r in found)
    assert len({r["eventID"] for r in found}) == len(found)
