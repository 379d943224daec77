"""AssumeRoleWithWebIdentity against a real OpenID issuer over HTTPS (a test CA given to the
server as IAMD_CA_BUNDLE): discovery and JWKS, key rotation, the trust policy's web identity
keys, and every kind of bad token refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore import UNSIGNED
from botocore.config import Config

from iamd_testkit import Account, aws_error
from sts.clock import ServerClock
from sts.helpers import allow, document, session_of
from sts.oidc_issuer import OidcIssuer, new_key
from sts.servers import Federation, fed_clock, federation

__all__ = ["fed_clock", "federation"]

NOT_AUTHORIZED = "Not authorized to perform sts:AssumeRoleWithWebIdentity"


@pytest.fixture
def acct(federation: Federation, fed_clock: ServerClock) -> Account:
    return federation.accounts()


@pytest.fixture
def issuer(federation: Federation) -> OidcIssuer:
    issuer = federation.issuer
    issuer.serving = True
    return issuer


def _anonymous_sts(account: Account) -> Any:
    import boto3

    return boto3.client(
        "sts",
        endpoint_url=account.server.endpoint,
        region_name="us-east-1",
        config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}),
    )


def _provider(
    account: Account, issuer: OidcIssuer, client_ids: tuple[str, ...] = ("app-client",)
) -> str:
    arn: str = account.iam().create_open_id_connect_provider(
        Url=issuer.url, ClientIDList=list(client_ids)
    )["OpenIDConnectProviderArn"]
    return arn


def _role(
    account: Account,
    provider_arn: str,
    condition: dict[str, Any] | None = None,
    actions: list[str] | None = None,
    name: str = "WebRole",
) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Federated": provider_arn},
        "Action": actions or ["sts:AssumeRoleWithWebIdentity"],
    }
    if condition:
        statement["Condition"] = condition
    arn: str = account.iam().create_role(
        RoleName=name, AssumeRolePolicyDocument=document(statement)
    )["Role"]["Arn"]
    account.iam().put_role_policy(
        RoleName=name,
        PolicyName="p",
        PolicyDocument=document(
            allow(
                "iam:ListRoles", Condition={"StringEquals": {"aws:FederatedProvider": provider_arn}}
            )
        ),
    )
    return arn


def _assume(account: Account, role_arn: str, token: str, **extra: Any) -> dict[str, Any]:
    answer: dict[str, Any] = _anonymous_sts(account).assume_role_with_web_identity(
        RoleArn=role_arn, RoleSessionName="web1", WebIdentityToken=token, **extra
    )
    return answer


def _refused(account: Account, role_arn: str, token: str) -> Any:
    return aws_error(
        _anonymous_sts(account).assume_role_with_web_identity,
        RoleArn=role_arn,
        RoleSessionName="web1",
        WebIdentityToken=token,
    )


def test_a_verified_token_assumes_the_role_without_any_signature(
    acct: Account, issuer: OidcIssuer
) -> None:
    provider = _provider(acct, issuer)
    role_arn = _role(
        acct,
        provider,
        {"StringEquals": {f"{issuer.name}:sub": "alice", f"{issuer.name}:aud": "app-client"}},
    )
    answer = _assume(acct, role_arn, issuer.token(sub="alice"))
    assert answer["SubjectFromWebIdentityToken"] == "alice"
    assert answer["Provider"] == issuer.url
    assert answer["Audience"] == "app-client"
    assert answer["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{acct.id}:assumed-role/WebRole/web1"
    session = session_of(acct, answer)
    assert session.client("sts").get_caller_identity()["Arn"].endswith("assumed-role/WebRole/web1")
    assert session.client("iam").list_roles()["Roles"]  # aws:FederatedProvider is the provider


def test_the_trust_policys_subject_condition_refuses_another_user(
    acct: Account, issuer: OidcIssuer
) -> None:
    provider = _provider(acct, issuer)
    role_arn = _role(acct, provider, {"StringEquals": {f"{issuer.name}:sub": "alice"}})
    error = _refused(acct, role_arn, issuer.token(sub="mallory"))
    assert (error.code, error.message, error.status) == ("AccessDenied", NOT_AUTHORIZED, 403)


def test_amr_is_a_multivalued_key(acct: Account, issuer: OidcIssuer) -> None:
    provider = _provider(acct, issuer)
    role_arn = _role(acct, provider, {"ForAnyValue:StringEquals": {f"{issuer.name}:amr": "mfa"}})
    assert _assume(acct, role_arn, issuer.token(extra={"amr": ["pwd", "mfa"]}))
    assert _refused(acct, role_arn, issuer.token(extra={"amr": ["pwd"]})).code == "AccessDenied"


def test_a_role_that_does_not_trust_the_provider_refuses(acct: Account, issuer: OidcIssuer) -> None:
    _provider(acct, issuer)
    other = acct.iam().create_role(
        RoleName="Other",
        AssumeRolePolicyDocument=document(
            {"Effect": "Allow", "Principal": {"AWS": acct.id}, "Action": "sts:AssumeRole"}
        ),
    )["Role"]["Arn"]
    assert _refused(acct, other, issuer.token()).message == NOT_AUTHORIZED


def test_the_provider_must_be_in_the_roles_account(
    federation: Federation, acct: Account, issuer: OidcIssuer
) -> None:
    elsewhere = federation.accounts()
    provider = _provider(elsewhere, issuer)
    role_arn = _role(acct, provider)
    error = _refused(acct, role_arn, issuer.token())
    assert (error.code, error.message, error.status) == (
        "InvalidIdentityToken",
        f"No OpenIDConnect provider found in your account for {issuer.url}",
        400,
    )


def test_a_token_for_another_audience_is_refused(acct: Account, issuer: OidcIssuer) -> None:
    role_arn = _role(acct, _provider(acct, issuer))
    error = _refused(acct, role_arn, issuer.token(aud="another-app"))
    assert (error.code, error.message) == ("InvalidIdentityToken", "Incorrect token audience")


def test_an_expired_token_is_refused(acct: Account, issuer: OidcIssuer) -> None:
    role_arn = _role(acct, _provider(acct, issuer))
    error = _refused(acct, role_arn, issuer.token(lifetime=-10))
    assert (error.code, error.status) == ("ExpiredTokenException", 400)
    assert error.message.startswith("Token expired: current date/time ")


def test_a_token_expires_by_the_servers_clock(
    acct: Account, issuer: OidcIssuer, fed_clock: ServerClock
) -> None:
    role_arn = _role(acct, _provider(acct, issuer))
    token = issuer.token(lifetime=600)
    assert _assume(acct, role_arn, token)
    fed_clock.advance(601)
    assert _refused(acct, role_arn, token).code == "ExpiredTokenException"


def test_alg_none_is_refused(acct: Account, issuer: OidcIssuer) -> None:
    import jwt

    role_arn = _role(acct, _provider(acct, issuer))
    unsigned = jwt.encode(
        {"iss": issuer.url, "sub": "alice", "aud": "app-client", "exp": 4_000_000_000},
        None,  # type: ignore[arg-type]
        algorithm="none",
    )
    assert _refused(acct, role_arn, unsigned).code == "InvalidIdentityToken"


def test_a_token_signed_with_a_key_the_issuer_does_not_publish_is_refused(
    acct: Account, issuer: OidcIssuer
) -> None:
    role_arn = _role(acct, _provider(acct, issuer))
    stolen_kid = new_key(issuer.keys[0].kid)  # the issuer's key id, someone else's key
    assert _refused(acct, role_arn, issuer.token(key=stolen_kid)).code == "InvalidIdentityToken"


def test_a_forged_claim_is_refused(acct: Account, issuer: OidcIssuer) -> None:
    import base64

    role_arn = _role(
        acct, _provider(acct, issuer), {"StringEquals": {f"{issuer.name}:sub": "admin"}}
    )
    head, body, signature = issuer.token(sub="alice").split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["sub"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert _refused(acct, role_arn, f"{head}.{forged}.{signature}").code == "InvalidIdentityToken"


def test_an_opaque_access_token_is_refused(acct: Account, issuer: OidcIssuer) -> None:
    role_arn = _role(acct, _provider(acct, issuer))
    assert _refused(acct, role_arn, "ya29.not-a-jwt-access-token").code == "InvalidIdentityToken"


def test_keys_are_rotated(acct: Account, issuer: OidcIssuer) -> None:
    role_arn = _role(acct, _provider(acct, issuer))
    assert _assume(acct, role_arn, issuer.token())
    before = len([p for p in issuer.requests if p.endswith("/jwks")])
    assert _assume(acct, role_arn, issuer.token())  # cached: no fetch
    assert len([p for p in issuer.requests if p.endswith("/jwks")]) == before
    old_key = issuer.keys[0]
    issuer.rotate()
    rotated = issuer.token()
    assert _assume(acct, role_arn, rotated)
    assert len([p for p in issuer.requests if p.endswith("/jwks")]) == before + 1
    assert _refused(acct, role_arn, issuer.token(key=old_key)).code == "InvalidIdentityToken"


def test_the_same_token_may_be_presented_again(acct: Account, issuer: OidcIssuer) -> None:
    role_arn = _role(acct, _provider(acct, issuer))
    token = issuer.token()
    assert _assume(acct, role_arn, token)
    assert _assume(acct, role_arn, token)


def test_session_tags_from_the_token_need_tag_session(acct: Account, issuer: OidcIssuer) -> None:
    provider = _provider(acct, issuer)
    tags = {"https://aws.amazon.com/tags": {"principal_tags": {"Project": ["Pegasus"]}}}
    plain = _role(acct, provider)
    assert _refused(acct, plain, issuer.token(extra=tags)).code == "AccessDenied"
    tagging = _role(
        acct,
        provider,
        {"StringEquals": {"aws:RequestTag/Project": "Pegasus"}},
        ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
        name="Tagging",
    )
    answer = _assume(acct, tagging, issuer.token(extra=tags))
    assert answer["PackedPolicySize"] > 0


def test_an_issuer_the_ca_bundle_does_not_trust_is_unreachable(
    acct: Account, tmp_path: Any
) -> None:
    from sts.oidc_issuer import running_issuer
    from sts.tls import make_tls

    with running_issuer(make_tls(tmp_path)) as stranger:
        role_arn = _role(acct, _provider(acct, stranger))
        error = _refused(acct, role_arn, stranger.token())
    assert (error.code, error.status) == ("IDPCommunicationError", 400)


def test_an_issuer_that_is_down_is_unreachable(acct: Account, issuer: OidcIssuer) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"https://localhost:{port}/idp"
    arn = acct.iam().create_open_id_connect_provider(Url=url, ClientIDList=["app-client"])[
        "OpenIDConnectProviderArn"
    ]
    role_arn = _role(acct, arn)
    error = _refused(acct, role_arn, issuer.token(issuer=url))
    assert error.code == "IDPCommunicationError"


def test_durations_follow_the_role(acct: Account, issuer: OidcIssuer) -> None:
    role_arn = _role(acct, _provider(acct, issuer))
    error = aws_error(
        _anonymous_sts(acct).assume_role_with_web_identity,
        RoleArn=role_arn,
        RoleSessionName="web1",
        WebIdentityToken=issuer.token(),
        DurationSeconds=7200,
    )
    assert (
        error.message
        == "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    )
