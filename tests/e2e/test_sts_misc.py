"""GetAccessKeyInfo, DecodeAuthorizationMessage, and the STS operations of features iamd's
accounts do not have (AssumeRoot, GetWebIdentityToken, GetDelegatedAccessToken)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from iamd_testkit import Account, AccountMaker, Server, aws_error
from sts.helpers import allow, make_role, make_user, session_of, trust


def test_get_access_key_info_for_long_term_keys(make_account: AccountMaker) -> None:
    a, b = make_account(), make_account()
    stranger = make_user(b, "s")
    assert a.sts().get_access_key_info(AccessKeyId=stranger.key_id)["Account"] == b.id
    assert a.sts().get_access_key_info(AccessKeyId=a.root_key_id)["Account"] == a.id


def test_get_access_key_info_for_a_session_key_after_its_session(account: Account) -> None:
    user = make_user(account, "u", allow("sts:AssumeRole"))
    role_arn = make_role(account, "R", trust({"AWS": account.id}))
    key_id = user.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="k1")["Credentials"][
        "AccessKeyId"
    ]
    account.iam().delete_role(RoleName="R")
    assert account.sts().get_access_key_info(AccessKeyId=key_id)["Account"] == account.id


def test_get_access_key_info_needs_permission(account: Account) -> None:
    user = make_user(account, "u")
    error = aws_error(user.client("sts").get_access_key_info, AccessKeyId=account.root_key_id)
    assert error.code == "AccessDenied"
    assert "sts:GetAccessKeyInfo" in error.message


def test_get_access_key_info_for_a_key_iamd_never_issued(account: Account) -> None:
    error = aws_error(account.sts().get_access_key_info, AccessKeyId="AKIAIOSFODNN7EXAMPLE")
    assert error.code == "InvalidClientTokenId"


@pytest.fixture(scope="module")
def deps_of(server: Server) -> Iterator[object]:
    from iamd.server import ServerConfig, open_data

    opened = open_data(
        ServerConfig(data_dir=server.data_dir, database_url=server.database_url),
        server.env,
        create=False,
    )
    yield opened.deps
    opened.store.close()


def _message(deps: object, account_id: str, now: dt.datetime) -> str:
    from iamd.services.sts.messages import encode_authorization_message

    return encode_authorization_message(
        deps,  # type: ignore[arg-type]
        account_id=account_id,
        now=now,
        allowed=False,
        explicit_deny=True,
        principal_id="AIDAEXAMPLE",
        principal_arn=f"arn:aws:iam::{account_id}:user/Bob",
        action="ec2:StopInstances",
        resource=f"arn:aws:ec2:us-east-1:{account_id}:instance/i-0123",
        conditions={"ec2:Tenancy": ["default"]},
    )


def test_decode_an_authorization_message_iamd_issued(account: Account, deps_of: object) -> None:
    encoded = _message(deps_of, account.id, dt.datetime.now(dt.UTC))
    decoded = json.loads(
        account.sts().decode_authorization_message(EncodedMessage=encoded)["DecodedMessage"]
    )
    assert decoded["allowed"] is False and decoded["explicitDeny"] is True
    assert decoded["context"]["action"] == "ec2:StopInstances"
    assert decoded["context"]["conditions"]["items"] == [
        {"key": "ec2:Tenancy", "values": {"items": [{"value": "default"}]}}
    ]


def test_a_message_of_another_account_does_not_decode(
    make_account: AccountMaker, account: Account, deps_of: object
) -> None:
    encoded = _message(deps_of, make_account().id, dt.datetime.now(dt.UTC))
    error = aws_error(account.sts().decode_authorization_message, EncodedMessage=encoded)
    assert (error.code, error.status) == ("InvalidAuthorizationMessageException", 400)


def test_an_expired_or_altered_message_does_not_decode(account: Account, deps_of: object) -> None:
    old = _message(deps_of, account.id, dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    sts = account.sts()
    assert aws_error(sts.decode_authorization_message, EncodedMessage=old).code == (
        "InvalidAuthorizationMessageException"
    )
    fresh = _message(deps_of, account.id, dt.datetime.now(dt.UTC))
    altered = fresh[:-4] + ("AAAA" if not fresh.endswith("AAAA") else "BBBB")
    assert aws_error(sts.decode_authorization_message, EncodedMessage=altered).code == (
        "InvalidAuthorizationMessageException"
    )


def test_decoding_needs_permission(account: Account, deps_of: object) -> None:
    user = make_user(account, "u")
    encoded = _message(deps_of, account.id, dt.datetime.now(dt.UTC))
    error = aws_error(user.client("sts").decode_authorization_message, EncodedMessage=encoded)
    assert error.code == "AccessDenied"


def test_assume_root_without_an_organization(make_account: AccountMaker) -> None:
    a, b = make_account(), make_account()
    admin = make_user(a, "admin", allow("*"))
    error = aws_error(
        admin.client("sts").assume_root,
        TargetPrincipal=b.id,
        TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"},
    )
    assert (error.code, error.status) == ("AccessDenied", 403)
    assert f"arn:aws:iam::{b.id}:root" in error.message
    root = aws_error(
        a.sts().assume_root,
        TargetPrincipal=b.id,
        TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"},
    )
    assert root.code == "AccessDenied"


def test_outbound_web_identity_federation_is_off(account: Account) -> None:
    error = aws_error(
        account.sts().get_web_identity_token,
        Audience=["https://example.test"],
        SigningAlgorithm="RS256",
    )
    assert (error.code, error.status) == ("OutboundWebIdentityFederationDisabledException", 403)


def test_no_trade_in_token_is_valid(account: Account) -> None:
    error = aws_error(account.sts().get_delegated_access_token, TradeInToken="x" * 40)
    assert error.code == "InvalidParameterValue"


def test_get_scoped_credentials_is_not_answered(account: Account) -> None:
    user = make_user(account, "u", allow("sts:AssumeRole"))
    role_arn = make_role(account, "R", trust({"AWS": account.id}))
    session = session_of(
        account, user.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="k1")
    )
    error = aws_error(session.client("sts").get_scoped_credentials, DurationSeconds=900)
    assert error.code == "InvalidAction"
