"""Trust decisions for callers that are not IAM identities: a service principal (as the coming
authorization API will present one), a web-identity or SAML provider."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, cast

from iamd.domain import Role
from iamd.policy import PolicySet
from iamd.policy import Principal as EnginePrincipal
from iamd.policy import PrincipalType as EnginePrincipalType
from iamd.services.context import Call, Deps
from iamd.services.policy_cache import CompiledPolicies
from iamd.services.sts.trust import trust_decision

ACCOUNT = "111122223333"
EC2_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


class _Call:
    def __init__(self) -> None:
        self.deps = cast(Deps, _Deps())


class _Deps:
    compiled = CompiledPolicies()


def _role(trust: str) -> Role:
    return Role(
        account_id=ACCOUNT,
        id="AROAEXAMPLEEXAMPLE123",
        name="EC2-S3",
        path="/",
        created_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
        assume_role_policy=trust,
    )


def _decide(
    principal: EnginePrincipal, trust: str = EC2_TRUST, action: str = "sts:AssumeRole"
) -> Any:
    role = _role(trust)
    call = cast(Call, _Call())
    return trust_decision(call, role, role.arn, action, principal, PolicySet(), {})


def _service(name: str) -> EnginePrincipal:
    return EnginePrincipal(EnginePrincipalType.SERVICE, name, None, service=name)


def test_the_trusted_service_may_assume_the_role() -> None:
    assert _decide(_service("ec2.amazonaws.com")).allowed


def test_another_service_may_not() -> None:
    assert not _decide(_service("lambda.amazonaws.com")).allowed


def test_the_service_may_not_use_another_action() -> None:
    assert not _decide(
        _service("ec2.amazonaws.com"), action="sts:AssumeRoleWithWebIdentity"
    ).allowed


def test_a_federated_provider_is_matched_by_its_arn() -> None:
    provider = f"arn:aws:iam::{ACCOUNT}:oidc-provider/idp.example.test"
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": provider},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                }
            ],
        }
    )
    caller = EnginePrincipal(EnginePrincipalType.WEB_IDENTITY, provider, None, federated=provider)
    assert _decide(caller, trust, "sts:AssumeRoleWithWebIdentity").allowed
    other = f"arn:aws:iam::{ACCOUNT}:oidc-provider/evil.example.test"
    stranger = EnginePrincipal(EnginePrincipalType.WEB_IDENTITY, other, None, federated=other)
    assert not _decide(stranger, trust, "sts:AssumeRoleWithWebIdentity").allowed
