"""The credential report over HTTP (boto3 and the AWS CLI): generation states, AWS's columns and
value formats, the root user's row, passwords, MFA, access keys and signing certificates; the
four-hour lifetime checked at the service with a clock moved forward."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from iamd.domain import CREDENTIAL_REPORT_COLUMNS, Principal, PrincipalType
from iamd.errors import AwsError
from iamd.server import Opened, ServerConfig, open_data
from iamd.services.context import Call
from iamd.services.iam.credential_report import (
    ReportExpired,
    generate_credential_report,
    get_credential_report,
)
from iamd_testkit import Account, Server, aws_cli, aws_error

HEADER = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
    "cert_1_last_rotated,cert_2_active,cert_2_last_rotated"
)
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


def _rows(iam: Any) -> list[dict[str, str]]:
    content = iam.get_credential_report()["Content"].decode()
    return list(csv.DictReader(io.StringIO(content)))


def _report(iam: Any) -> dict[str, dict[str, str]]:
    iam.generate_credential_report()
    return {row["user"]: row for row in _rows(iam)}


def _certificate_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "signer")])
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
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def test_no_report_before_generation(account: Account) -> None:
    error = aws_error(account.iam().get_credential_report)
    assert (error.code, error.status) == ("ReportNotPresent", 410)
    assert not error.message  # AWS sends this error without a message


def test_generation_starts_then_is_complete(account: Account) -> None:
    iam = account.iam()
    first = iam.generate_credential_report()
    assert first["State"] == "STARTED"
    assert first["Description"] == "No report exists. Starting a new report generation task"
    second = iam.generate_credential_report()
    assert second["State"] == "COMPLETE"
    assert "Description" not in second


def test_report_is_csv_with_awss_columns_and_the_root_row_first(account: Account) -> None:
    iam = account.iam()
    iam.generate_credential_report()
    report = iam.get_credential_report()
    assert report["ReportFormat"] == "text/csv"
    assert report["GeneratedTime"].tzinfo is not None
    lines = report["Content"].decode().split("\n")
    assert lines[0] == HEADER
    assert tuple(HEADER.split(",")) == CREDENTIAL_REPORT_COLUMNS
    root = dict(zip(HEADER.split(","), lines[1].split(","), strict=True))
    assert root["user"] == "<root_account>"
    assert root["arn"] == f"arn:aws:iam::{account.id}:root"
    assert TIME.fullmatch(root["user_creation_time"])
    assert root["password_enabled"] == "not_supported"
    assert root["password_last_used"] == "no_information"
    assert root["password_last_changed"] == "not_supported"
    assert root["password_next_rotation"] == "not_supported"
    assert root["mfa_active"] == "false"
    # The root user's own key signs these requests.
    assert root["access_key_1_active"] == "true"
    assert TIME.fullmatch(root["access_key_1_last_rotated"])
    assert root["access_key_2_active"] == "false"
    assert root["access_key_2_last_rotated"] == "N/A"
    assert (root["cert_1_active"], root["cert_1_last_rotated"]) == ("false", "N/A")


def test_a_user_without_credentials(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="plain", Path="/team/")
    row = _report(iam)["plain"]
    assert row["arn"] == f"arn:aws:iam::{account.id}:user/team/plain"
    assert row["password_enabled"] == "false"
    assert row["password_last_used"] == row["password_last_changed"] == "N/A"
    assert row["password_next_rotation"] == "N/A"
    assert row["mfa_active"] == "false"
    assert [row[f"access_key_{i}_active"] for i in (1, 2)] == ["false", "false"]
    assert all(row[k] == "N/A" for k in HEADER.split(",") if k.startswith("access_key_1_last"))
    assert (row["cert_1_active"], row["cert_2_active"]) == ("false", "false")


def test_users_are_listed_by_name(account: Account) -> None:
    iam = account.iam()
    for name in ("carol", "Alice", "bob"):
        iam.create_user(UserName=name)
    iam.generate_credential_report()
    assert [row["user"] for row in _rows(iam)] == ["<root_account>", "Alice", "bob", "carol"]


def test_password_columns(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="console")
    iam.update_account_password_policy(MinimumPasswordLength=8, MaxPasswordAge=90)
    iam.create_login_profile(UserName="console", Password="Correct-Horse-9")
    row = _report(iam)["console"]
    assert row["password_enabled"] == "true"
    assert row["password_last_used"] == "no_information"
    changed = dt.datetime.fromisoformat(row["password_last_changed"])
    rotation = dt.datetime.fromisoformat(row["password_next_rotation"])
    assert rotation - changed == dt.timedelta(days=90)


def test_access_key_and_certificate_columns(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="dev")
    first = iam.create_access_key(UserName="dev")["AccessKey"]
    iam.create_access_key(UserName="dev")
    iam.update_access_key(UserName="dev", AccessKeyId=first["AccessKeyId"], Status="Inactive")
    iam.upload_signing_certificate(UserName="dev", CertificateBody=_certificate_pem())
    row = _report(iam)["dev"]
    assert (row["access_key_1_active"], row["access_key_2_active"]) == ("false", "true")
    assert TIME.fullmatch(row["access_key_1_last_rotated"])
    assert TIME.fullmatch(row["access_key_2_last_rotated"])
    assert row["access_key_2_last_used_date"] == "N/A"
    assert row["cert_1_active"] == "true"
    assert TIME.fullmatch(row["cert_1_last_rotated"])
    assert row["cert_2_active"] == "false"


def test_mfa_column(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="secure")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="secure")["VirtualMFADevice"]
    totp = pyotp.TOTP(device["Base32StringSeed"].decode("ascii"))
    now = time.time()
    iam.enable_mfa_device(
        UserName="secure",
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=totp.at(now - 30),
        AuthenticationCode2=totp.at(now),
    )
    report = _report(iam)
    assert report["secure"]["mfa_active"] == "true"
    assert report["<root_account>"]["mfa_active"] == "false"


def test_the_report_is_a_snapshot_for_four_hours(account: Account) -> None:
    iam = account.iam()
    iam.generate_credential_report()
    iam.create_user(UserName="later")
    assert iam.generate_credential_report()["State"] == "COMPLETE"
    assert "later" not in {row["user"] for row in _rows(iam)}


def test_with_the_aws_cli(account: Account) -> None:
    account.iam().create_user(UserName="cli-user")
    generated = aws_cli(account, "iam", "generate-credential-report")
    assert generated.returncode == 0, generated.stderr
    assert json.loads(generated.stdout)["State"] == "STARTED"
    got = aws_cli(account, "iam", "get-credential-report")
    assert got.returncode == 0, got.stderr
    answer = json.loads(got.stdout)
    assert answer["ReportFormat"] == "text/csv"
    # The CLI prints the blob base64-encoded, as AWS documents.
    text = base64.b64decode(answer["Content"]).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["user"] for r in rows] == ["<root_account>", "cli-user"]


# -- the four-hour lifetime, at the service with a clock moved forward -------------------------


@pytest.fixture(scope="module")
def opened(server: Server) -> Iterator[Opened]:
    config = ServerConfig(data_dir=server.data_dir, database_url=server.database_url)
    data = open_data(config, server.env, create=False)
    yield data
    data.store.close()


def _root(account: Account) -> Principal:
    return Principal(
        type=PrincipalType.ROOT,
        account_id=account.id,
        arn=f"arn:aws:iam::{account.id}:root",
        user_id=account.id,
        access_key_id=account.root_key_id,
    )


def _at(opened: Opened, account: Account, hours: float, handler: Any, write: bool) -> Any:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)
    with opened.store.unit_of_work(write=write) as uow:
        call = Call(opened.deps, uow, _root(account), when, str(uuid.uuid4()))
        try:
            return handler(call)
        except AwsError as error:
            return error


def test_a_report_expires_after_four_hours(opened: Opened, account: Account) -> None:
    iam = account.iam()
    iam.generate_credential_report()
    assert not isinstance(_at(opened, account, 3.9, get_credential_report, False), AwsError)
    expired = _at(opened, account, 4.1, get_credential_report, False)
    assert isinstance(expired, ReportExpired)
    assert (expired.code, expired.status) == ("ReportExpired", 410)


def test_after_four_hours_a_new_report_is_generated(opened: Opened, account: Account) -> None:
    iam = account.iam()
    iam.generate_credential_report()
    iam.create_user(UserName="later")
    again = _at(opened, account, 4.1, generate_credential_report, True)
    assert again["state"] == "STARTED"
    fresh = _at(opened, account, 4.2, get_credential_report, False)
    assert "later" in fresh["content"].decode()


def test_last_used_columns(opened: Opened, account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="caller")
    key_id = iam.create_access_key(UserName="caller")["AccessKey"]["AccessKeyId"]
    used = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    with opened.store.unit_of_work(write=True) as uow:
        uow.access_keys.record_use(key_id, used, "s3", "eu-west-1")
    row = _report(iam)["caller"]
    assert row["access_key_1_last_used_date"] == "2026-01-02T03:04:05+00:00"
    assert row["access_key_1_last_used_region"] == "eu-west-1"
    assert row["access_key_1_last_used_service"] == "s3"
