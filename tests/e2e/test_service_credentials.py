"""Service-specific credentials: Git credentials for CodeCommit, Keyspaces passwords and
Bedrock API keys; create, list, reset, update, delete; two per service per user; the password
shown only by Create and Reset and kept encrypted; refusals change nothing."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from iamd.server import Opened, ServerConfig, open_data
from iamd.storage.sql import schema
from iamd_testkit import Account, Server, aws_error

CODECOMMIT = "codecommit.amazonaws.com"


@pytest.fixture(scope="module")
def opened(server: Server) -> Iterator[Opened]:
    config = ServerConfig(data_dir=server.data_dir, database_url=server.database_url)
    data = open_data(config, server.env, create=False)
    yield data
    data.store.close()


def test_create_git_credentials(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="jane")
    made = iam.create_service_specific_credential(UserName="jane", ServiceName=CODECOMMIT)
    credential = made["ServiceSpecificCredential"]
    assert credential["UserName"] == "jane"
    assert credential["ServiceName"] == CODECOMMIT
    assert credential["ServiceUserName"] == f"jane-at-{account.id}"
    assert len(base64.b64decode(credential["ServicePassword"])) == 32
    assert credential["ServiceSpecificCredentialId"].startswith("ACCA")
    assert len(credential["ServiceSpecificCredentialId"]) >= 20
    assert credential["Status"] == "Active"
    assert "ExpirationDate" not in credential
    assert "ServiceCredentialSecret" not in credential


def test_two_per_service_per_user(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="jane")
    first = iam.create_service_specific_credential(UserName="jane", ServiceName=CODECOMMIT)
    second = iam.create_service_specific_credential(UserName="jane", ServiceName=CODECOMMIT)
    assert second["ServiceSpecificCredential"]["ServiceUserName"] == f"jane+1-at-{account.id}"
    assert (
        first["ServiceSpecificCredential"]["ServicePassword"]
        != second["ServiceSpecificCredential"]["ServicePassword"]
    )
    error = aws_error(
        iam.create_service_specific_credential, UserName="jane", ServiceName=CODECOMMIT
    )
    assert (error.code, error.status) == ("LimitExceeded", 409)
    iam.create_service_specific_credential(UserName="jane", ServiceName="cassandra.amazonaws.com")
    listed = iam.list_service_specific_credentials(UserName="jane")["ServiceSpecificCredentials"]
    assert len(listed) == 3


def test_unsupported_service(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="jane")
    error = aws_error(
        iam.create_service_specific_credential, UserName="jane", ServiceName="s3.amazonaws.com"
    )
    assert (error.code, error.status) == ("NotSupportedService", 404)
    error = aws_error(
        iam.list_service_specific_credentials, UserName="jane", ServiceName="s3.amazonaws.com"
    )
    assert error.code == "NotSupportedService"
    assert (
        iam.list_service_specific_credentials(UserName="jane")["ServiceSpecificCredentials"] == []
    )


def test_missing_user(account: Account) -> None:
    error = aws_error(
        account.iam().create_service_specific_credential, UserName="nobody", ServiceName=CODECOMMIT
    )
    assert (error.code, error.status, error.message) == (
        "NoSuchEntity",
        404,
        "The user with name nobody cannot be found.",
    )


def test_bedrock_api_key_with_an_expiry(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="jane")
    made = iam.create_service_specific_credential(
        UserName="jane", ServiceName="bedrock.amazonaws.com", CredentialAgeDays=30
    )["ServiceSpecificCredential"]
    assert "ServiceUserName" not in made and "ServicePassword" not in made
    assert made["ServiceCredentialAlias"] == f"jane-at-{account.id}"
    assert made["ServiceCredentialSecret"].startswith("ABSK")
    decoded = base64.b64decode(made["ServiceCredentialSecret"][4:]).decode()
    assert decoded.startswith(f"jane-at-{account.id}:")
    assert made["ExpirationDate"] - made["CreateDate"] == dt.timedelta(days=30)
    (listed,) = iam.list_service_specific_credentials(UserName="jane")["ServiceSpecificCredentials"]
    assert listed["ExpirationDate"] == made["ExpirationDate"]
    assert "ServiceCredentialSecret" not in listed


def test_credential_age_days_only_for_api_keys(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="jane")
    error = aws_error(
        iam.create_service_specific_credential,
        UserName="jane",
        ServiceName=CODECOMMIT,
        CredentialAgeDays=30,
    )
    assert (error.code, error.status) == ("ValidationError", 400)
    assert (
        iam.list_service_specific_credentials(UserName="jane")["ServiceSpecificCredentials"] == []
    )


def test_list_shows_no_passwords_and_filters(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="jane")
    iam.create_user(UserName="joe")
    iam.create_service_specific_credential(UserName="jane", ServiceName=CODECOMMIT)
    iam.create_service_specific_credential(UserName="jane", ServiceName="cassandra.amazonaws.com")
    iam.create_service_specific_credential(UserName="joe", ServiceName=CODECOMMIT)
    listed = iam.list_service_specific_credentials(UserName="jane", ServiceName=CODECOMMIT)
    (only,) = listed["ServiceSpecificCredentials"]
    assert only["ServiceName"] == CODECOMMIT and only["UserName"] == "jane"
    assert "ServicePassword" not in only
    every = iam.list_service_specific_credentials(AllUsers=True, ServiceName=CODECOMMIT)
    assert sorted(c["UserName"] for c in every["ServiceSpecificCredentials"]) == ["jane", "joe"]
    error = aws_error(iam.list_service_specific_credentials, UserName="jane", AllUsers=True)
    assert (error.code, error.status) == ("ValidationError", 400)
    assert iam.list_service_specific_credentials()["ServiceSpecificCredentials"] == []  # root


def test_reset_gives_a_new_password(account: Account, opened: Opened) -> None:
    iam = account.iam()
    iam.create_user(UserName="jane")
    made = iam.create_service_specific_credential(UserName="jane", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"
    ]
    reset = iam.reset_service_specific_credential(
        UserName="jane", ServiceSpecificCredentialId=made["ServiceSpecificCredentialId"]
    )["ServiceSpecificCredential"]
    assert reset["ServiceSpecificCredentialId"] == made["ServiceSpecificCredentialId"]
    assert reset["ServiceUserName"] == made["ServiceUserName"]
    assert reset["ServicePassword"] != made["ServicePassword"]
    c = schema.service_specific_credentials.c
    with opened.store.engine.connect() as conn:
        stored = conn.execute(
            select(c.secret).where(c.id == made["ServiceSpecificCredentialId"])
        ).scalar_one()
    secret = opened.deps.secrets.decrypt(
        bytes(stored),
        context=f"iamd/service-credential/{made['ServiceSpecificCredentialId']}".encode(),
    )
    assert secret.decode() == reset["ServicePassword"]
    assert reset["ServicePassword"].encode() not in bytes(stored)


def test_update_and_delete(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="jane")
    credential_id = iam.create_service_specific_credential(UserName="jane", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"
    ]["ServiceSpecificCredentialId"]
    iam.update_service_specific_credential(
        UserName="jane", ServiceSpecificCredentialId=credential_id, Status="Inactive"
    )
    (listed,) = iam.list_service_specific_credentials(UserName="jane")["ServiceSpecificCredentials"]
    assert listed["Status"] == "Inactive"
    error = aws_error(
        iam.update_service_specific_credential,
        UserName="jane",
        ServiceSpecificCredentialId=credential_id,
        Status="Expired",
    )
    assert error.code == "InvalidInput"
    iam.delete_service_specific_credential(
        UserName="jane", ServiceSpecificCredentialId=credential_id
    )
    assert (
        iam.list_service_specific_credentials(UserName="jane")["ServiceSpecificCredentials"] == []
    )


def test_a_missing_or_foreign_credential_is_not_found(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="jane")
    iam.create_user(UserName="joe")
    credential_id = iam.create_service_specific_credential(UserName="jane", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"
    ]["ServiceSpecificCredentialId"]
    for user, wanted in (("jane", "ACCAAAAAAAAAAAAAAAAAA"), ("joe", credential_id)):
        for call, extra in (
            (iam.reset_service_specific_credential, {}),
            (iam.update_service_specific_credential, {"Status": "Inactive"}),
            (iam.delete_service_specific_credential, {}),
        ):
            error = aws_error(call, UserName=user, ServiceSpecificCredentialId=wanted, **extra)
            assert (error.code, error.status) == ("NoSuchEntity", 404)
    (listed,) = iam.list_service_specific_credentials(UserName="jane")["ServiceSpecificCredentials"]
    assert listed["Status"] == "Active"


def test_delete_user_waits_for_its_credentials(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="jane")
    credential_id = iam.create_service_specific_credential(UserName="jane", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"
    ]["ServiceSpecificCredentialId"]
    error = aws_error(iam.delete_user, UserName="jane")
    assert (error.code, error.status) == ("DeleteConflict", 409)
    assert error.message == "Cannot delete entity, must remove referenced objects first."
    iam.delete_service_specific_credential(
        UserName="jane", ServiceSpecificCredentialId=credential_id
    )
    iam.delete_user(UserName="jane")
