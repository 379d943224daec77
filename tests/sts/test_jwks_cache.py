"""The key-set cache: discovery then JWKS, cached per issuer, one refetch for an unknown key id
(rotation) no more often than the refetch interval."""

from __future__ import annotations

import json

import pytest

from iamd.errors import InvalidIdentityToken
from iamd.services.sts.oidc_jwks import JwksCache

ISSUER = "https://idp.example.test"


class Site:
    def __init__(self) -> None:
        self.kids = ["a"]
        self.discovery = {"issuer": ISSUER, "jwks_uri": f"{ISSUER}/jwks"}
        self.fetched: list[str] = []
        self.now = 0.0

    def fetch(self, url: str) -> bytes:
        self.fetched.append(url)
        if url.endswith("openid-configuration"):
            return json.dumps(self.discovery).encode()
        return json.dumps({"keys": [{"kid": k, "kty": "RSA"} for k in self.kids]}).encode()

    def cache(self) -> JwksCache:
        return JwksCache(
            self.fetch,
            monotonic=lambda: self.now,
            cache_seconds=3600,
            refetch_budget=3,
            refetch_window=60,
        )


def test_keys_are_fetched_once_and_cached() -> None:
    site = Site()
    cache = site.cache()
    assert cache.key(ISSUER, "a")["kid"] == "a"
    assert cache.key(ISSUER, "a")["kid"] == "a"
    assert site.fetched == [f"{ISSUER}/.well-known/openid-configuration", f"{ISSUER}/jwks"]


def test_a_rotated_key_is_found_by_refetching() -> None:
    site = Site()
    cache = site.cache()
    cache.key(ISSUER, "a")
    site.kids = ["b"]
    assert cache.key(ISSUER, "b")["kid"] == "b"
    assert cache.fetches == 2
    with pytest.raises(InvalidIdentityToken):
        cache.key(ISSUER, "a")  # rotated out


def test_unknown_key_ids_do_not_make_a_refetch_storm() -> None:
    site = Site()
    cache = site.cache()
    cache.key(ISSUER, "a")
    for n in range(10):
        with pytest.raises(InvalidIdentityToken):
            cache.key(ISSUER, f"forged-{n}")
    assert cache.fetches == 1 + 3
    site.now = 61
    with pytest.raises(InvalidIdentityToken):
        cache.key(ISSUER, "forged-again")
    assert cache.fetches == 1 + 3 + 1


def test_the_cache_expires() -> None:
    site = Site()
    cache = site.cache()
    cache.key(ISSUER, "a")
    site.now = 3601
    cache.key(ISSUER, "a")
    assert cache.fetches == 2


def test_a_discovery_document_of_another_issuer_is_refused() -> None:
    site = Site()
    site.discovery["issuer"] = "https://evil.example.test"
    with pytest.raises(InvalidIdentityToken):
        site.cache().key(ISSUER, "a")


def test_a_jwks_uri_over_plain_http_is_refused() -> None:
    site = Site()
    site.discovery["jwks_uri"] = "http://idp.example.test/jwks"
    with pytest.raises(InvalidIdentityToken):
        site.cache().key(ISSUER, "a")


def test_a_single_key_serves_a_token_without_kid() -> None:
    site = Site()
    assert site.cache().key(ISSUER, None)["kid"] == "a"
    site.kids = ["a", "b"]
    with pytest.raises(InvalidIdentityToken):
        site.cache().key(ISSUER, None)
