"""AssumeRoleWithSAML with responses signed by a real SAML identity provider: the provider's
metadata certificate, the Role attribute, saml:* trust conditions, durations, and forged,
expired, misdirected, replayed and entity-laden responses refused."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
from botocore import UNSIGNED
from botocore.config import Config

from iamd_testkit import Account, aws_error
from sts.clock import ServerClock
from sts.helpers import allow, document, session_of
from sts.saml_idp import ATTR, SamlIdp
from sts.servers import Federation, fed_clock, federation

__all__ = ["fed_clock", "federation"]

NOT_AUTHORIZED = "Not authorized to perform sts:AssumeRoleWithSAML"


@pytest.fixture
def acct(federation: Federation, fed_clock: ServerClock) -> Account:
    return federation.accounts()


@pytest.fixture
def idp() -> SamlIdp:
    return SamlIdp()


def _sts(account: Account) -> Any:
    import boto3

    return boto3.client(
        "sts",
        endpoint_url=account.server.endpoint,
        region_name="us-east-1",
        config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}),
    )


def _setup(
    account: Account,
    idp: SamlIdp,
    condition: dict[str, Any] | None = None,
    actions: list[str] | None = None,
    **role: Any,
) -> tuple[str, str]:
    iam = account.iam()
    provider = iam.create_saml_provider(SAMLMetadataDocument=idp.metadata(), Name="Corp")[
        "SAMLProviderArn"
    ]
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Federated": provider},
        "Action": actions or ["sts:AssumeRoleWithSAML"],
        "Condition": condition
        or {"StringEquals": {"saml:aud": "https://signin.aws.amazon.com/saml"}},
    }
    role_arn = iam.create_role(
        RoleName="SamlRole", AssumeRolePolicyDocument=document(statement), **role
    )["Role"]["Arn"]
    iam.put_role_policy(
        RoleName="SamlRole", PolicyName="p", PolicyDocument=document(allow("iam:ListRoles"))
    )
    return role_arn, provider


def _assume(account: Account, role_arn: str, provider: str, assertion: str, **extra: Any) -> Any:
    return _sts(account).assume_role_with_saml(
        RoleArn=role_arn, PrincipalArn=provider, SAMLAssertion=assertion, **extra
    )


def _refused(account: Account, role_arn: str, provider: str, assertion: str) -> Any:
    return aws_error(
        _sts(account).assume_role_with_saml,
        RoleArn=role_arn,
        PrincipalArn=provider,
        SAMLAssertion=assertion,
    )


def test_a_signed_assertion_assumes_the_role(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(acct, idp)
    answer = _assume(acct, role_arn, provider, idp.response(roles=[f"{role_arn},{provider}"]))
    assert answer["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{acct.id}:assumed-role/SamlRole/alice"
    assert answer["Subject"] == "alice-persistent-id"
    assert answer["SubjectType"] == "persistent"
    assert answer["Issuer"] == idp.entity_id
    assert answer["Audience"] == "https://signin.aws.amazon.com/saml"
    expected = base64.b64encode(
        __import__("hashlib").sha1(f"{idp.entity_id}{acct.id}/Corp".encode()).digest()
    ).decode()
    assert answer["NameQualifier"] == expected
    assert session_of(acct, answer).client("iam").list_roles()["Roles"]


def test_the_role_and_provider_may_be_paired_in_either_order(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(acct, idp)
    assert _assume(acct, role_arn, provider, idp.response(roles=[f"{provider},{role_arn}"]))


def test_a_role_the_assertion_does_not_grant_is_refused(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(acct, idp)
    other = f"arn:aws:iam::{acct.id}:role/Other"
    error = _refused(acct, role_arn, provider, idp.response(roles=[f"{other},{provider}"]))
    assert (error.code, error.message, error.status) == ("AccessDenied", NOT_AUTHORIZED, 403)


def test_saml_conditions_in_the_trust_policy(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(
        acct,
        idp,
        {
            "StringEquals": {"saml:sub_type": "persistent", "saml:iss": idp.entity_id},
            "ForAnyValue:StringEquals": {"saml:edupersonaffiliation": "staff"},
        },
    )
    staff = {"urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["member", "staff"]}
    assert _assume(
        acct, role_arn, provider, idp.response(roles=[f"{role_arn},{provider}"], attributes=staff)
    )
    student = {"urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["student"]}
    error = _refused(
        acct, role_arn, provider, idp.response(roles=[f"{role_arn},{provider}"], attributes=student)
    )
    assert error.message == NOT_AUTHORIZED


def test_a_response_signed_by_another_idp_is_refused(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(acct, idp)
    impostor = SamlIdp(entity_id=idp.entity_id)
    error = _refused(acct, role_arn, provider, impostor.response(roles=[f"{role_arn},{provider}"]))
    assert (error.code, error.message, error.status) == (
        "InvalidIdentityToken",
        "Response signature invalid",
        400,
    )


def test_a_changed_response_is_refused(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(acct, idp)
    raw = base64.b64decode(idp.response(roles=[f"{role_arn},{provider}"]))
    changed = raw.replace(b">alice<", b">admin<")
    assert changed != raw
    error = _refused(acct, role_arn, provider, base64.b64encode(changed).decode())
    assert error.message == "Response signature invalid"


def test_an_expired_assertion_is_refused(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(acct, idp)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    error = _refused(
        acct, role_arn, provider, idp.response(roles=[f"{role_arn},{provider}"], now=old)
    )
    assert (error.code, error.status) == ("ExpiredTokenException", 400)


def test_an_assertion_expires_by_the_servers_clock(
    acct: Account, idp: SamlIdp, fed_clock: ServerClock
) -> None:
    role_arn, provider = _setup(acct, idp)
    assertion = idp.response(roles=[f"{role_arn},{provider}"], lifetime=120)
    fed_clock.advance(121)
    assert _refused(acct, role_arn, provider, assertion).code == "ExpiredTokenException"


def test_the_audience_must_be_aws(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(acct, idp)
    error = _refused(
        acct,
        role_arn,
        provider,
        idp.response(roles=[f"{role_arn},{provider}"], audience="https://app.test"),
    )
    assert (error.code, error.message) == (
        "InvalidIdentityToken",
        "Response does not contain the required audience.",
    )


def test_the_recipient_must_be_aws_sign_in(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(acct, idp)
    response = idp.response(roles=[f"{role_arn},{provider}"], recipient="https://app.test/acs")
    assert _refused(acct, role_arn, provider, response).code == "InvalidIdentityToken"


def test_the_issuer_must_be_the_providers(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(acct, idp)
    response = idp.response(roles=[f"{role_arn},{provider}"], issuer="https://other.test/saml")
    error = _refused(acct, role_arn, provider, response)
    assert error.message == "Failed to assume role: Issuer not present in specified provider"


def test_an_assertion_is_accepted_once(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(acct, idp)
    assertion = idp.response(roles=[f"{role_arn},{provider}"])
    assert _assume(acct, role_arn, provider, assertion)
    assert _refused(acct, role_arn, provider, assertion).code == "InvalidIdentityToken"


def test_a_role_session_name_is_required(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(acct, idp)
    error = _refused(
        acct, role_arn, provider, idp.response(roles=[f"{role_arn},{provider}"], session_name=None)
    )
    assert (error.code, error.message) == (
        "InvalidIdentityToken",
        "RoleSessionName is required in AuthnResponse",
    )
    bad = idp.response(roles=[f"{role_arn},{provider}"], session_name="John Doe")
    assert _refused(acct, role_arn, provider, bad).message == (
        "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"
    )


def test_session_duration_attribute_and_session_not_on_or_after(
    acct: Account, idp: SamlIdp
) -> None:
    role_arn, provider = _setup(acct, idp, MaxSessionDuration=7200)
    long = idp.response(
        roles=[f"{role_arn},{provider}"], attributes={ATTR + "SessionDuration": ["7200"]}
    )
    answer = _assume(acct, role_arn, provider, long)
    lifetime = answer["Credentials"]["Expiration"] - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=119) < lifetime <= dt.timedelta(hours=2)
    cut = idp.response(
        roles=[f"{role_arn},{provider}"],
        session_not_on_or_after=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=20),
    )
    lifetime = _assume(acct, role_arn, provider, cut)["Credentials"][
        "Expiration"
    ] - dt.datetime.now(dt.UTC)
    assert lifetime <= dt.timedelta(minutes=20)


def test_an_unknown_provider(acct: Account, idp: SamlIdp) -> None:
    role_arn, _ = _setup(acct, idp)
    missing = f"arn:aws:iam::{acct.id}:saml-provider/Nope"
    error = _refused(acct, role_arn, missing, idp.response(roles=[f"{role_arn},{missing}"]))
    assert (error.code, error.message) == (
        "InvalidIdentityToken",
        "Specified provider doesn't exist.",
    )


def test_swapped_arns_are_invalid(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(acct, idp)
    error = _refused(acct, provider, role_arn, idp.response(roles=[f"{role_arn},{provider}"]))
    assert (error.code, error.message) == ("ValidationError", "Request ARN is invalid")


@pytest.mark.parametrize(
    "document_text",
    [
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        "<r>&b;</r>",
    ],
)
def test_entities_are_refused(acct: Account, idp: SamlIdp, document_text: str) -> None:
    role_arn, provider = _setup(acct, idp)
    encoded = base64.b64encode(document_text.encode()).decode()
    assert _refused(acct, role_arn, provider, encoded).code == "InvalidIdentityToken"


def test_principal_tags_and_source_identity_from_attributes(acct: Account, idp: SamlIdp) -> None:
    role_arn, provider = _setup(
        acct,
        idp,
        {"StringEquals": {"aws:RequestTag/Project": "Pegasus", "sts:SourceIdentity": "alice"}},
        ["sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"],
    )
    response = idp.response(
        roles=[f"{role_arn},{provider}"],
        attributes={
            ATTR + "PrincipalTag:Project": ["Pegasus"],
            ATTR + "SourceIdentity": ["alice"],
        },
    )
    answer = _assume(acct, role_arn, provider, response)
    assert answer["SourceIdentity"] == "alice"
    assert answer["PackedPolicySize"] > 0
