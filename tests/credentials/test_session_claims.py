"""SessionClaims: normalisation, the serialized form, and PackedPolicySize."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from iamd.credentials.session_claims import (
    PACKED_POLICY_LIMIT_BYTES,
    SessionClaims,
    SessionKind,
    claims_from_json,
    claims_to_json,
    packed_policy_bytes,
    packed_policy_size_percent,
)

ISSUED = dt.datetime(2019, 7, 15, 22, 58, 33, 359000, tzinfo=dt.UTC)
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
TAGS = (("Project", "Pegasus"), ("Cost-Center", "12345"))
GUIDE_POLICY = (
    '{"Version":"2012-10-17","Statement":[{"Sid":"Stmt1","Effect":"Allow",'
    '"Action":"s3:*","Resource":"*"}]}'
)


def make(**changes: object) -> SessionClaims:
    claims = SessionClaims(
        access_key_id="ASIAIOSFODNN7EXAMPLE",
        secret_access_key=SECRET,
        account_id="123456789012",
        kind=SessionKind.ASSUMED_ROLE,
        principal_arn="arn:aws:sts::123456789012:assumed-role/demo/John",
        principal_id="AROA3XFRBF535PLBIFPI4:John",
        issuer_arn="arn:aws:iam::123456789012:role/demo",
        issuer_id="AROA3XFRBF535PLBIFPI4",
        issued_at=ISSUED,
        expires_at=ISSUED + dt.timedelta(minutes=30),
    )
    return dataclasses.replace(claims, **changes)  # type: ignore[arg-type]


def test_times_are_normalised_to_utc_milliseconds() -> None:
    plus_two = dt.timezone(dt.timedelta(hours=2))
    claims = make(
        issued_at=dt.datetime(2024, 1, 1, 12, 0, 0, 123456, tzinfo=plus_two),
        expires_at=dt.datetime(2024, 1, 1, 13, 0, 0, 999999, tzinfo=plus_two),
    )
    assert claims.issued_at == dt.datetime(2024, 1, 1, 10, 0, 0, 123000, tzinfo=dt.UTC)
    assert claims.issued_at.tzinfo is dt.UTC
    assert claims.expires_at.microsecond == 999000
    assert claims.duration == dt.timedelta(hours=1, microseconds=876000)


@pytest.mark.parametrize("field", ["issued_at", "expires_at"])
def test_naive_times_are_refused(field: str) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make(**{field: dt.datetime(2024, 1, 1, 12, 0, 0)})


def test_expiry_must_follow_issue() -> None:
    with pytest.raises(ValueError, match="after issued_at"):
        make(expires_at=ISSUED)


def test_mfa_time_needs_mfa() -> None:
    with pytest.raises(ValueError, match="mfa_authenticated"):
        make(mfa_authenticated_at=ISSUED)
    claims = make(mfa_authenticated=True, mfa_authenticated_at=ISSUED.replace(microsecond=1500))
    assert claims.mfa_authenticated_at == ISSUED.replace(microsecond=1000)


def test_collections_become_tuples() -> None:
    claims = make(
        session_policy_arns=["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        session_tags=[["Project", "Pegasus"]],
        transitive_tag_keys=["Project"],
    )
    assert claims.session_policy_arns == ("arn:aws:iam::aws:policy/ReadOnlyAccess",)
    assert claims.session_tags == (("Project", "Pegasus"),)
    assert claims.transitive_tag_keys == ("Project",)
    hash(claims)


def test_repr_hides_the_secret() -> None:
    assert SECRET not in repr(make())


def full_claims() -> SessionClaims:
    return make(
        mfa_authenticated=True,
        mfa_authenticated_at=ISSUED - dt.timedelta(minutes=5),
        session_policy=GUIDE_POLICY,
        session_policy_arns=("arn:aws:iam::123456789012:policy/Role1policy",),
        session_tags=(*TAGS, ("Ünïcode", "välue ✓")),
        transitive_tag_keys=("Project",),
        source_identity="DevUser123",
        role_chained=True,
        federated_provider="accounts.google.com",
        revocation_epoch=7,
    )


@pytest.mark.parametrize("claims", [make(), full_claims()], ids=["minimal", "full"])
def test_json_round_trip(claims: SessionClaims) -> None:
    assert claims_from_json(claims_to_json(claims)) == claims


@pytest.mark.parametrize("kind", list(SessionKind))
def test_every_kind_round_trips(kind: SessionKind) -> None:
    claims = make(kind=kind)
    assert claims_from_json(claims_to_json(claims)).kind is kind


def test_minimal_json_leaves_defaults_out() -> None:
    doc = json.loads(claims_to_json(make()))
    assert set(doc) == {"v", "k", "s", "a", "t", "p", "i", "ia", "ii", "iat", "exp"}
    assert doc["iat"] == 1563231513359


def doc_of(claims: SessionClaims) -> dict[str, object]:
    value = json.loads(claims_to_json(claims))
    assert isinstance(value, dict)
    return value


@pytest.mark.parametrize(
    "change",
    [
        {"v": 2},
        {"k": 1},
        {"iat": "2019-07-15"},
        {"iat": 1.5},
        {"m": 2},
        {"m": True},
        {"rc": "1"},
        {"e": "7"},
        {"pa": "arn"},
        {"pa": [1]},
        {"tg": "Project"},
        {"tg": [["Project"]]},
        {"tg": [["Project", 1]]},
        {"t": "root"},
        {"sp": 5},
    ],
)
def test_malformed_documents_are_refused(change: dict[str, object]) -> None:
    doc = doc_of(full_claims())
    doc.update(change)
    with pytest.raises((ValueError, KeyError)):
        claims_from_json(json.dumps(doc).encode())


def test_missing_field_is_refused() -> None:
    doc = doc_of(make())
    del doc["s"]
    with pytest.raises(KeyError):
        claims_from_json(json.dumps(doc).encode())


def test_non_object_is_refused() -> None:
    with pytest.raises(ValueError):
        claims_from_json(b"[1, 2]")


# -- PackedPolicySize ----------------------------------------------------------------------------


def test_no_policies_or_tags_pack_to_nothing() -> None:
    assert packed_policy_bytes(make()) == 0
    assert packed_policy_size_percent(make()) == 0


def test_user_guide_assume_role_example_is_8_percent() -> None:
    # id_credentials_temp_request: AssumeRole with this policy and two tags -> 8.
    assert packed_policy_size_percent(make(session_policy=GUIDE_POLICY, session_tags=TAGS)) == 8


def test_user_guide_get_federation_token_example_is_4_percent() -> None:
    # id_credentials_temp_request: GetFederationToken with one policy ARN and two tags -> 4.
    claims = make(
        kind=SessionKind.FEDERATED_USER,
        session_policy_arns=("arn:aws:iam::123456789012:policy/Role1policy",),
        session_tags=TAGS,
    )
    assert packed_policy_size_percent(claims) == 4


def test_policy_arns_of_other_accounts_cost_more() -> None:
    own = make(session_policy_arns=("arn:aws:iam::123456789012:policy/P",))
    aws = make(session_policy_arns=("arn:aws:iam::aws:policy/P",))
    odd = make(session_policy_arns=("not-an-arn-at-all",))
    assert 0 < packed_policy_bytes(own) < packed_policy_bytes(aws)
    assert packed_policy_bytes(odd) > 0


def test_transitive_keys_and_tags_count() -> None:
    tagged = make(session_tags=TAGS)
    transitive = make(session_tags=TAGS, transitive_tag_keys=("Project", "Cost-Center"))
    assert packed_policy_bytes(transitive) > packed_policy_bytes(tagged) > 0


def test_percentage_rounds_up_and_can_exceed_100() -> None:
    import secrets

    # 50 session tags of incompressible 128-character keys and 256-character values.
    tags = tuple((secrets.token_urlsafe(96), secrets.token_urlsafe(192)) for _ in range(50))
    claims = make(session_tags=tags)
    size = packed_policy_bytes(claims)
    assert size > PACKED_POLICY_LIMIT_BYTES
    assert packed_policy_size_percent(claims) == -(-size * 100 // PACKED_POLICY_LIMIT_BYTES)
    assert packed_policy_size_percent(claims) > 100
