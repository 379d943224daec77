"""Session tokens: sealed claims, tamper-proof, expiring, bound to one ASIA key."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import zlib

import pytest

from iamd.clock import FixedClock
from iamd.credentials.keyring import MasterKeyring
from iamd.credentials.session_claims import SessionClaims, SessionKind, deflate
from iamd.credentials.session_tokens import (
    MAX_TOKEN_CHARS,
    TOKEN_PREFIX,
    ExpiredSessionToken,
    InvalidSessionToken,
    SessionTokenSealer,
)
from iamd.errors import ExpiredToken, InvalidClientTokenId

KEY_A = bytes(range(32))
KEY_B = bytes(range(32, 64))
ISSUED = dt.datetime(2024, 5, 1, 12, 0, 0, tzinfo=dt.UTC)
CONTEXT = b"iamd:session-token"


def make(**changes: object) -> SessionClaims:
    claims = SessionClaims(
        access_key_id="ASIA3XFRBF535PLBIFPI",
        secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
        account_id="123456789012",
        kind=SessionKind.ASSUMED_ROLE,
        principal_arn="arn:aws:sts::123456789012:assumed-role/demo/John",
        principal_id="AROA3XFRBF535PLBIFPI4:John",
        issuer_arn="arn:aws:iam::123456789012:role/demo",
        issuer_id="AROA3XFRBF535PLBIFPI4",
        issued_at=ISSUED,
        expires_at=ISSUED + dt.timedelta(hours=1),
    )
    return dataclasses.replace(claims, **changes)  # type: ignore[arg-type]


def typical() -> SessionClaims:
    """An AssumeRole with MFA, a session policy, two tags and a source identity."""
    return make(
        mfa_authenticated=True,
        mfa_authenticated_at=ISSUED - dt.timedelta(minutes=2),
        session_policy=(
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
            '"Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}'
        ),
        session_tags=(("Project", "Pegasus"), ("Cost-Center", "12345")),
        transitive_tag_keys=("Project",),
        source_identity="DevUser123",
        revocation_epoch=3,
    )


def sealer(*keys: bytes) -> SessionTokenSealer:
    first, *rest = keys or (KEY_A,)
    return SessionTokenSealer(MasterKeyring(first, rest))


def test_round_trip() -> None:
    claims = typical()
    tokens = sealer()
    assert tokens.open(tokens.seal(claims), ISSUED) == claims


def test_token_is_prefixed_url_safe_base64() -> None:
    token = sealer().seal(make())
    assert token.startswith(TOKEN_PREFIX)
    body = token[len(TOKEN_PREFIX) :]
    assert set(body) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_token_hides_the_secret_and_the_principal() -> None:
    claims = typical()
    token = sealer().seal(claims)
    raw = base64.urlsafe_b64decode(token[len(TOKEN_PREFIX) :] + "==")
    for clear in (claims.secret_access_key, "assumed-role", "Pegasus", "DevUser123"):
        assert clear not in token
        assert clear.encode() not in raw


def test_tokens_are_compact() -> None:
    assert len(sealer().seal(make())) < 400
    assert len(sealer().seal(typical())) < 600


def test_two_seals_differ() -> None:
    tokens = sealer()
    assert tokens.seal(make()) != tokens.seal(make())


def test_every_byte_flip_of_the_sealed_bytes_is_refused() -> None:
    tokens = sealer()
    token = tokens.seal(typical())
    raw = base64.urlsafe_b64decode(token[len(TOKEN_PREFIX) :] + "==")
    for index in range(len(raw)):
        tampered = bytearray(raw)
        tampered[index] ^= 0x01
        forged = TOKEN_PREFIX + base64.urlsafe_b64encode(bytes(tampered)).decode().rstrip("=")
        with pytest.raises(InvalidSessionToken):
            tokens.open(forged, ISSUED)


def test_every_character_change_of_the_token_is_refused() -> None:
    tokens = sealer()
    token = tokens.seal(make())
    for index, char in enumerate(token):
        replacement = "A" if char != "A" else "B"
        forged = token[:index] + replacement + token[index + 1 :]
        with pytest.raises(InvalidSessionToken):
            tokens.open(forged, ISSUED)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "iamd1_",
        "IQoJb3JpZ2luX2VjEXAMPLE",
        "iamd1_!!!!",
        "iamd1_a",
        "iamd1_é",
        TOKEN_PREFIX + "A" * (MAX_TOKEN_CHARS + 1),
    ],
)
def test_garbage_is_refused(token: str) -> None:
    with pytest.raises(InvalidSessionToken):
        sealer().open(token, ISSUED)


def test_padding_and_extra_characters_are_refused() -> None:
    tokens = sealer()
    token = tokens.seal(make())
    for forged in (token + "=", token + "==", token + "\n", " " + token, token[:-1]):
        with pytest.raises(InvalidSessionToken):
            tokens.open(forged, ISSUED)


def test_standard_base64_spelling_is_refused() -> None:
    tokens = sealer()
    token = tokens.seal(make())
    body = token[len(TOKEN_PREFIX) :].replace("-", "+").replace("_", "/")
    if body != token[len(TOKEN_PREFIX) :]:
        with pytest.raises(InvalidSessionToken):
            tokens.open(TOKEN_PREFIX + body, ISSUED)
    raw = base64.urlsafe_b64decode(token[len(TOKEN_PREFIX) :] + "==")
    slashed = TOKEN_PREFIX + base64.b64encode(raw).decode().rstrip("=")
    if "+" in slashed or "/" in slashed:
        with pytest.raises(InvalidSessionToken):
            tokens.open(slashed, ISSUED)


def test_wrong_master_key_is_refused() -> None:
    token = sealer(KEY_A).seal(make())
    with pytest.raises(InvalidSessionToken):
        sealer(KEY_B).open(token, ISSUED)


def test_tokens_survive_rotation() -> None:
    token = sealer(KEY_A).seal(make())
    rotated = sealer(KEY_B, KEY_A)
    assert rotated.open(token, ISSUED) == make()
    assert rotated.needs_rotation(token)
    assert not rotated.needs_rotation(rotated.seal(make()))


def test_another_secret_of_the_keyring_is_not_a_token() -> None:
    ring = MasterKeyring(KEY_A)
    blob = ring.encrypt(deflate(b'{"v":1}'), context=b"iamd:access-key:ASIA")
    forged = TOKEN_PREFIX + base64.urlsafe_b64encode(blob).decode().rstrip("=")
    with pytest.raises(InvalidSessionToken):
        SessionTokenSealer(ring).open(forged, ISSUED)


def seal_raw(ring: MasterKeyring, payload: bytes) -> str:
    blob = ring.encrypt(payload, context=CONTEXT)
    return TOKEN_PREFIX + base64.urlsafe_b64encode(blob).decode().rstrip("=")


@pytest.mark.parametrize(
    "payload",
    [
        b"not deflate at all \xff\xff",
        deflate(b"not json"),
        deflate(b'{"v":99}'),
        deflate(b'{"v":1,"k":"ASIA"}'),
        deflate(b'{"v":1}')[:-2],
        zlib.compress(b'{"v":1}'),
        deflate(b'{"v":1}') + b"trailing",
        deflate(b" " * (1 << 19)),
    ],
)
def test_authentic_but_unreadable_payloads_are_refused(payload: bytes) -> None:
    ring = MasterKeyring(KEY_A)
    with pytest.raises(InvalidSessionToken):
        SessionTokenSealer(ring).open(seal_raw(ring, payload), ISSUED)


def test_expiry_follows_the_clock() -> None:
    tokens = sealer()
    token = tokens.seal(make())
    clock = FixedClock(ISSUED)
    clock.advance(3600 - 0.001)
    assert tokens.open(token, clock.now()) == make()
    clock.advance(0.001)
    with pytest.raises(ExpiredSessionToken) as error:
        tokens.open(token, clock.now())
    assert error.value.claims == make()


def test_expired_and_invalid_map_to_aws_errors() -> None:
    tokens = sealer()
    with pytest.raises(ExpiredToken) as expired:
        tokens.open(tokens.seal(make()), ISSUED + dt.timedelta(days=1))
    assert expired.value.code == "ExpiredToken"
    assert expired.value.status == 403
    assert expired.value.message == "The security token included in the request is expired"
    with pytest.raises(InvalidClientTokenId) as invalid:
        tokens.open("garbage", ISSUED)
    assert invalid.value.code == "InvalidClientTokenId"
    assert invalid.value.message == "The security token included in the request is invalid."


def test_tampering_is_reported_before_expiry() -> None:
    tokens = sealer()
    token = tokens.seal(make())
    with pytest.raises(InvalidSessionToken):
        tokens.open(
            token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), ISSUED + dt.timedelta(days=9)
        )


def test_token_is_bound_to_its_access_key_id() -> None:
    tokens = sealer()
    token = tokens.seal(make())
    assert tokens.open(token, ISSUED, access_key_id="ASIA3XFRBF535PLBIFPI") == make()
    with pytest.raises(InvalidSessionToken):
        tokens.open(token, ISSUED, access_key_id="ASIAOTHERKEYEXAMPLE1")
    with pytest.raises(InvalidSessionToken):
        tokens.open(token, ISSUED, access_key_id="ASIAÉ")


def test_wrong_key_id_is_invalid_even_when_expired() -> None:
    tokens = sealer()
    token = tokens.seal(make())
    with pytest.raises(InvalidSessionToken):
        tokens.open(token, ISSUED + dt.timedelta(days=1), access_key_id="ASIAOTHERKEYEXAMPLE1")


def test_needs_rotation_of_garbage_is_invalid() -> None:
    with pytest.raises(InvalidSessionToken):
        sealer().needs_rotation("garbage")


def test_open_needs_an_aware_time() -> None:
    tokens = sealer()
    with pytest.raises(ValueError):
        tokens.open(tokens.seal(make()), dt.datetime(2024, 5, 1, 12, 0, 0))
