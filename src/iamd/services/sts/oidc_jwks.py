"""An OpenID provider's signing keys: discovery document, then JWKS, over HTTPS only
("Create an OpenID Connect (OIDC) identity provider in IAM", id_roles_providers_create_oidc;
OpenID Connect Discovery 1.0 sections 3-4; RFC 7517).

``https://<issuer>/.well-known/openid-configuration`` names the issuer (which must be exactly
the token's) and ``jwks_uri`` (which must be ``https``); the key set there is cached per issuer
for :data:`CACHE_SECONDS`. A token signed with a key id the cached set does not have makes one
refetch (key rotation) — at most :data:`REFETCH_BUDGET` such refetches per issuer in
:data:`REFETCH_WINDOW_SECONDS`, so a flood of forged key ids cannot make iamd hammer the
provider.

Certificates are verified against the system's CA bundle, or the file named by
``IAMD_CA_BUNDLE`` (read by the app factory: :func:`federation_keys`, kept in the services'
dependencies). The cache is per process, of public keys only, and bounded in time; it needs no
cross-node invalidation because every node fetches the provider's keys itself.

Failures: an unreachable provider is ``IDPCommunicationError``; a key that cannot be found or
used is AWS's ``InvalidIdentityToken`` "Couldn't retrieve verification key from your identity
provider,  please reference AssumeRoleWithWebIdentity documentation for requirements" (the
double space is AWS's; quoted in awslabs/aws-sdk-rust#827 and aws/aws-sdk-php#1725).
"""

from __future__ import annotations

import json
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from iamd.errors import IDPCommunicationError, InvalidIdentityToken

__all__ = [
    "CACHE_SECONDS",
    "ENV_CA_BUNDLE",
    "NO_VERIFICATION_KEY",
    "REFETCH_BUDGET",
    "REFETCH_WINDOW_SECONDS",
    "JwksCache",
    "federation_keys",
]

ENV_CA_BUNDLE = "IAMD_CA_BUNDLE"
CACHE_SECONDS = 3600.0
REFETCH_BUDGET = 10
REFETCH_WINDOW_SECONDS = 60.0
_TIMEOUT_SECONDS = 5.0
_MAX_DOCUMENT_BYTES = 512 * 1024
NO_VERIFICATION_KEY = (
    "Couldn't retrieve verification key from your identity provider,  please reference "
    "AssumeRoleWithWebIdentity documentation for requirements"
)
_UNREACHABLE = (
    "The request could not be fulfilled because the identity provider (IDP) that was asked to "
    "verify the incoming identity token could not be reached."
)

Fetch = Callable[[str], bytes]


@dataclass(frozen=True, slots=True)
class _KeySet:
    keys: tuple[Mapping[str, Any], ...]
    fetched_at: float


class JwksCache:
    """The key sets of OpenID providers, by issuer."""

    def __init__(
        self,
        fetch: Fetch,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        cache_seconds: float = CACHE_SECONDS,
        refetch_budget: int = REFETCH_BUDGET,
        refetch_window: float = REFETCH_WINDOW_SECONDS,
    ) -> None:
        self._fetch = fetch
        self._monotonic = monotonic
        self._cache_seconds = cache_seconds
        self._budget = refetch_budget
        self._window = refetch_window
        self._sets: dict[str, _KeySet] = {}
        self._refetched: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self.fetches = 0

    def key(self, issuer: str, kid: str | None) -> Mapping[str, Any]:
        """The JWK the issuer signs with under ``kid`` (the only key when ``kid`` is None and
        the set has one). Fetches when the cache is empty or stale, and once more when the
        cached set lacks ``kid`` and the issuer's refetch budget allows."""
        now = self._monotonic()
        with self._lock:
            cached = self._sets.get(issuer)
        if cached is None or now - cached.fetched_at >= self._cache_seconds:
            cached = self._refresh(issuer, now)
        found = _pick(cached.keys, kid)
        if found is None and kid is not None and self._may_refetch(issuer, now):
            found = _pick(self._refresh(issuer, now).keys, kid)
        if found is None:
            raise InvalidIdentityToken(NO_VERIFICATION_KEY)
        return found

    def forget(self, issuer: str) -> None:
        with self._lock:
            self._sets.pop(issuer, None)

    def _may_refetch(self, issuer: str, now: float) -> bool:
        with self._lock:
            recent = self._refetched.setdefault(issuer, deque())
            while recent and now - recent[0] >= self._window:
                recent.popleft()
            if len(recent) >= self._budget:
                return False
            recent.append(now)
            return True

    def _refresh(self, issuer: str, now: float) -> _KeySet:
        self.fetches += 1
        discovery = _json_object(
            self._fetch(issuer.rstrip("/") + "/.well-known/openid-configuration")
        )
        jwks_uri = discovery.get("jwks_uri")
        if discovery.get("issuer") != issuer or not isinstance(jwks_uri, str):
            raise InvalidIdentityToken(NO_VERIFICATION_KEY)
        if urlsplit(jwks_uri).scheme != "https":
            raise InvalidIdentityToken(NO_VERIFICATION_KEY)
        keys = _json_object(self._fetch(jwks_uri)).get("keys")
        if not isinstance(keys, list):
            raise InvalidIdentityToken(NO_VERIFICATION_KEY)
        key_set = _KeySet(tuple(k for k in keys if isinstance(k, dict)), now)
        with self._lock:
            self._sets[issuer] = key_set
        return key_set


def _pick(keys: tuple[Mapping[str, Any], ...], kid: str | None) -> Mapping[str, Any] | None:
    signing = [k for k in keys if k.get("use", "sig") == "sig"]
    if kid is None:
        return signing[0] if len(signing) == 1 else None
    for key in signing:
        if key.get("kid") == kid:
            return key
    return None


def _json_object(data: bytes) -> Mapping[str, Any]:
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise InvalidIdentityToken(NO_VERIFICATION_KEY) from None
    if not isinstance(value, dict):
        raise InvalidIdentityToken(NO_VERIFICATION_KEY)
    return value


def https_fetcher(context: ssl.SSLContext) -> Fetch:
    """GET over HTTPS with certificate and host name verification, no redirects to ``http``,
    a timeout and a size cap."""

    class _NoDowngrade(urllib.request.HTTPRedirectHandler):
        def redirect_request(
            self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
        ) -> Any:
            if urlsplit(newurl).scheme != "https":
                return None
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), _NoDowngrade()
    )

    def fetch(url: str) -> bytes:
        if urlsplit(url).scheme != "https":
            raise InvalidIdentityToken(NO_VERIFICATION_KEY)
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - https only, checked above
        try:
            with opener.open(request, timeout=_TIMEOUT_SECONDS) as reply:
                data: bytes = reply.read(_MAX_DOCUMENT_BYTES + 1)
        except urllib.error.HTTPError:
            raise InvalidIdentityToken(NO_VERIFICATION_KEY) from None
        except (OSError, ssl.SSLError):
            raise IDPCommunicationError(_UNREACHABLE) from None
        if len(data) > _MAX_DOCUMENT_BYTES:
            raise InvalidIdentityToken(NO_VERIFICATION_KEY)
        return data

    return fetch


def ssl_context(ca_bundle: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=ca_bundle or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def federation_keys(env: Mapping[str, str]) -> JwksCache:
    """The key-set cache the app factory wires into the services' dependencies:
    ``IAMD_CA_BUNDLE`` names the CA certificates to trust, else the system's."""
    return JwksCache(https_fetcher(ssl_context(env.get(ENV_CA_BUNDLE))))
