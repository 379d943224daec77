"""ID token verification against a provider's keys: algorithm allowlist, signature, issuer,
audience, expiry and not-before at the server's clock."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import jwt
import pytest

from iamd.errors import ExpiredTokenException, InvalidIdentityToken
from iamd.services.sts.oidc_jwks import JwksCache
from iamd.services.sts.oidc_tokens import unverified_issuer, verify_id_token
from sts.oidc_issuer import new_key

ISSUER = "https://idp.example.test"
NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
T = int(NOW.timestamp())


class Provider:
    def __init__(self, *algs: str) -> None:
        self.keys = [new_key(f"k{i}", alg) for i, alg in enumerate(algs or ("RS256",))]

    def fetch(self, url: str) -> bytes:
        if url.endswith("/.well-known/openid-configuration"):
            return json.dumps({"issuer": ISSUER, "jwks_uri": f"{ISSUER}/jwks"}).encode()
        return json.dumps({"keys": [k.jwk() for k in self.keys]}).encode()

    def cache(self) -> JwksCache:
        return JwksCache(self.fetch)

    def token(self, claims: Mapping[str, Any] | None = None, index: int = 0, **headers: Any) -> str:
        key = self.keys[index]
        body = {"iss": ISSUER, "sub": "alice", "aud": "app", "iat": T, "exp": T + 300}
        body.update(claims or {})
        return jwt.encode(body, key.private, algorithm=key.alg, headers={"kid": key.kid, **headers})


def _verify(provider: Provider, token: str, *, now: dt.datetime = NOW) -> object:
    return verify_id_token(
        token, issuer=ISSUER, client_ids=("app", "other"), keys=provider.cache(), now=now
    )


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"])
def test_each_allowed_algorithm_verifies(alg: str) -> None:
    provider = Provider(alg)
    identity = verify_id_token(
        provider.token({"amr": ["pwd", "mfa"]}),
        issuer=ISSUER,
        client_ids=("app",),
        keys=provider.cache(),
        now=NOW,
    )
    assert (identity.subject, identity.audience, identity.amr) == ("alice", "app", ("pwd", "mfa"))


def test_alg_none_is_refused() -> None:
    provider = Provider()
    unsigned = jwt.encode(
        {"iss": ISSUER, "sub": "alice", "aud": "app", "exp": T + 300},
        None,  # type: ignore[arg-type]
        algorithm="none",
    )
    with pytest.raises(InvalidIdentityToken, match="none"):
        _verify(provider, unsigned)


def test_an_hmac_token_keyed_with_the_public_key_is_refused() -> None:
    provider = Provider()
    forged = jwt.encode(
        {"iss": ISSUER, "sub": "alice", "aud": "app", "exp": T + 300},
        b"public-key-bytes-used-as-an-hmac-secret",
        algorithm="HS256",
        headers={"kid": "k0"},
    )
    with pytest.raises(InvalidIdentityToken):
        _verify(provider, forged)


def test_a_token_signed_with_another_key_is_refused() -> None:
    provider, other = Provider(), Provider()
    forged = other.token()  # same kid "k0", another private key
    with pytest.raises(InvalidIdentityToken, match="signature"):
        _verify(provider, forged)


def test_a_changed_claim_breaks_the_signature() -> None:
    provider = Provider()
    head, body, signature = provider.token().split(".")
    claims = json.loads(jwt.utils.base64url_decode(body))
    claims["sub"] = "mallory"
    changed = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    with pytest.raises(InvalidIdentityToken):
        _verify(provider, f"{head}.{changed}.{signature}")


def test_an_expired_token_says_when() -> None:
    provider = Provider()
    with pytest.raises(ExpiredTokenException) as raised:
        _verify(provider, provider.token({"exp": T - 1}))
    assert raised.value.message == (
        f"Token expired: current date/time {T} must be before the expiration date/time {T - 1}"
    )


def test_a_token_not_yet_valid_is_refused() -> None:
    provider = Provider()
    with pytest.raises(InvalidIdentityToken, match="not yet valid"):
        _verify(provider, provider.token({"nbf": T + 60}))


def test_the_audience_must_be_a_client_id() -> None:
    provider = Provider()
    with pytest.raises(InvalidIdentityToken, match="Incorrect token audience"):
        _verify(provider, provider.token({"aud": "someone-else"}))


def test_one_audience_of_several_matching_is_enough() -> None:
    provider = Provider()
    identity = _verify(provider, provider.token({"aud": ["x", "other"]}))
    assert identity.audience == "other"  # type: ignore[attr-defined]


@pytest.mark.parametrize("claim", ["exp", "sub", "aud"])
def test_required_claims(claim: str) -> None:
    provider = Provider()
    body = {"iss": ISSUER, "sub": "alice", "aud": "app", "exp": T + 300}
    del body[claim]
    token = jwt.encode(body, provider.keys[0].private, algorithm="RS256", headers={"kid": "k0"})
    with pytest.raises(InvalidIdentityToken, match=f"Missing a required claim: {claim}"):
        _verify(provider, token)


def test_an_unknown_key_id_cannot_be_verified() -> None:
    provider = Provider()
    token = provider.token(kid="rotated-away")
    with pytest.raises(InvalidIdentityToken, match="Couldn't retrieve verification key"):
        _verify(provider, token)


def test_the_issuer_is_read_before_verification() -> None:
    assert unverified_issuer(Provider().token()) == ISSUER
    with pytest.raises(InvalidIdentityToken, match="not a valid JWT"):
        unverified_issuer("an-opaque-access-token")
