"""A real OpenID Connect issuer for the tests: HTTPS on a loopback port with a certificate of a
test CA, serving the discovery document and a JWKS, signing ID tokens with its current key, and
rotating keys on demand (OpenID Connect Discovery 1.0; RFC 7517)."""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from sts.tls import Tls

SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass
class _Key:
    kid: str
    alg: str
    private: SigningKey

    def jwk(self) -> dict[str, Any]:
        public = self.private.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            data: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(public))
        else:
            data = json.loads(ECAlgorithm.to_jwk(public))
        data.update({"kid": self.kid, "alg": self.alg, "use": "sig"})
        return data


def new_key(kid: str, alg: str = "RS256") -> _Key:
    if alg.startswith("ES"):
        curve = {"ES256": ec.SECP256R1(), "ES384": ec.SECP384R1(), "ES512": ec.SECP521R1()}[alg]
        return _Key(kid, alg, ec.generate_private_key(curve))
    return _Key(kid, alg, rsa.generate_private_key(public_exponent=65537, key_size=2048))


@dataclass
class OidcIssuer:
    """The issuer ``https://localhost:<port>/idp``; ``keys[0]`` signs new tokens."""

    port: int
    keys: list[_Key] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    serving: bool = True

    @property
    def url(self) -> str:
        return f"https://localhost:{self.port}/idp"

    @property
    def name(self) -> str:
        """The IAM provider's name: the URL without ``https://``."""
        return self.url.removeprefix("https://")

    def rotate(self, alg: str = "RS256", *, keep_old: bool = False) -> None:
        """A new signing key; the old one is published too only with ``keep_old``."""
        fresh = new_key(f"key-{len(self.requests)}-{time.monotonic_ns()}", alg)
        self.keys = [fresh, *self.keys] if keep_old else [fresh]

    def token(
        self,
        *,
        sub: str = "alice",
        aud: str | list[str] = "app-client",
        lifetime: int = 600,
        now: float | None = None,
        extra: Mapping[str, Any] | None = None,
        key: _Key | None = None,
        headers: Mapping[str, Any] | None = None,
        issuer: str | None = None,
    ) -> str:
        issued = int(now if now is not None else time.time())
        claims: dict[str, Any] = {
            "iss": issuer or self.url,
            "sub": sub,
            "aud": aud,
            "iat": issued,
            "exp": issued + lifetime,
        }
        claims.update(extra or {})
        signer = key or self.keys[0]
        return jwt.encode(
            claims,
            signer.private,
            algorithm=signer.alg,
            headers={"kid": signer.kid, **(headers or {})},
        )

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "jwks_uri": f"{self.url}/jwks",
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        }


def _handler(issuer: OidcIssuer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            issuer.requests.append(self.path)
            if not issuer.serving:
                self.send_error(503)
                return
            if self.path == "/idp/.well-known/openid-configuration":
                body = issuer.discovery()
            elif self.path == "/idp/jwks":
                body = {"keys": [k.jwk() for k in issuer.keys]}
            else:
                self.send_error(404)
                return
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def running_issuer(tls: Tls) -> Iterator[OidcIssuer]:
    issuer = OidcIssuer(port=0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(issuer))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(tls.cert_file), str(tls.key_file))
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    issuer.port = httpd.server_address[1]
    issuer.rotate()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield issuer
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
