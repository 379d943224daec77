"""The credential report ("Generate credential reports for your AWS account",
id_credentials_getting-report, "Understanding the report format").

One CSV row per IAM user and one for the root user (``<root_account>``), with AWS's columns in
AWS's order. Values: ``true`` / ``false`` (lower case, as AWS writes them), times in ISO 8601
with ``+00:00``, ``N/A`` where a credential is absent, ``no_information`` for a password never
used, ``not_supported`` for the root user's password columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "CREDENTIAL_REPORT_COLUMNS",
    "ROOT_ACCOUNT_NAME",
    "CertificateFacts",
    "CredentialFacts",
    "KeyFacts",
    "render_credential_report",
]

ROOT_ACCOUNT_NAME = "<root_account>"

CREDENTIAL_REPORT_COLUMNS = (
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
)

_NA = "N/A"


@dataclass(frozen=True, slots=True)
class KeyFacts:
    active: bool
    created_at: dt.datetime
    last_used_at: dt.datetime | None = None
    last_used_region: str | None = None
    last_used_service: str | None = None


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    active: bool
    uploaded_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CredentialFacts:
    """What the report says of one identity. ``password_changed_at`` is None when the user has
    no password (no login profile); keys and certificates are in creation order."""

    name: str
    arn: str
    created_at: dt.datetime
    is_root: bool = False
    password_changed_at: dt.datetime | None = None
    password_last_used: dt.datetime | None = None
    mfa_active: bool = False
    access_keys: tuple[KeyFacts, ...] = ()
    certificates: tuple[CertificateFacts, ...] = ()


def _time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _password(facts: CredentialFacts, max_password_age: int | None) -> list[str]:
    if facts.is_root:
        last_used = (
            _time(facts.password_last_used) if facts.password_last_used else "no_information"
        )
        return ["not_supported", last_used, "not_supported", "not_supported"]
    changed = facts.password_changed_at
    if changed is None:
        return ["false", _NA, _NA, _NA]
    last_used = _time(facts.password_last_used) if facts.password_last_used else "no_information"
    rotation = _NA
    if max_password_age:
        rotation = _time(changed + dt.timedelta(days=max_password_age))
    return ["true", last_used, _time(changed), rotation]


def _key(key: KeyFacts | None) -> list[str]:
    if key is None:
        return ["false", _NA, _NA, _NA, _NA]
    used = key.last_used_at
    return [
        _bool(key.active),
        _time(key.created_at),
        _time(used) if used else _NA,
        (key.last_used_region or _NA) if used else _NA,
        (key.last_used_service or _NA) if used else _NA,
    ]


def _certificate(cert: CertificateFacts | None) -> list[str]:
    if cert is None:
        return ["false", _NA]
    return [_bool(cert.active), _time(cert.uploaded_at)]


def _row(facts: CredentialFacts, max_password_age: int | None) -> list[str]:
    keys: list[KeyFacts | None] = [*facts.access_keys[:2], None, None]
    certs: list[CertificateFacts | None] = [*facts.certificates[:2], None, None]
    return [
        facts.name,
        facts.arn,
        _time(facts.created_at),
        *_password(facts, max_password_age),
        _bool(facts.mfa_active),
        *_key(keys[0]),
        *_key(keys[1]),
        *_certificate(certs[0]),
        *_certificate(certs[1]),
    ]


def render_credential_report(
    rows: Sequence[CredentialFacts], *, max_password_age: int | None
) -> bytes:
    """The report's CSV: the header, then ``rows`` in the order given (the root user first, as
    AWS lists it). ``max_password_age`` is the account password policy's MaxPasswordAge (days),
    None without a policy that expires passwords."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CREDENTIAL_REPORT_COLUMNS)
    for facts in rows:
        writer.writerow(_row(facts, max_password_age))
    return out.getvalue().rstrip("\n").encode("utf-8")
