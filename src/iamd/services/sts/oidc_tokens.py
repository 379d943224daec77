"""Verifying an OpenID Connect ID token for AssumeRoleWithWebIdentity (STS API Reference,
AssumeRoleWithWebIdentity; "Create an OpenID Connect (OIDC) identity provider in IAM",
id_roles_providers_create_oidc; RFC 7519; OpenID Connect Core 1.0 section 3.1.3.7).

In order: the token is a JWS in compact form; its algorithm is one of the six AWS accepts
("Tokens must be signed using either RSA keys (RS256, RS384, or RS512) or ECDSA keys (ES256,
ES384, or ES512)" — never ``none``, never an HMAC); its issuer names an OIDC provider registered
in the role's account; its signature verifies with the issuer's key for the token's ``kid``
(:mod:`iamd.services.sts.oidc_jwks`), whose type fits the algorithm; then ``exp`` (required)
and ``nbf`` against the server's clock, ``sub`` and ``aud`` present, and one audience among the
provider's client ids.

Messages confirmed from AWS's answers: "No OpenIDConnect provider found in your account for
<issuer>" (aws-actions/configure-aws-credentials#721), "Incorrect token audience"
(awslabs/amazon-eks-irsa-cfn#18), "Missing a required claim: aud" (aws/aws-sdk-ruby#2698),
ExpiredTokenException "Token expired: current date/time <now> must be before the expiration
date/time <exp>" (aws/aws-sdk-java-v2#5709). Others are inferred and say so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from jwt.exceptions import InvalidTokenError, PyJWKError

from iamd.errors import ExpiredTokenException, InvalidIdentityToken
from iamd.services.sts.oidc_jwks import NO_VERIFICATION_KEY, JwksCache

__all__ = ["ALLOWED_ALGORITHMS", "WebIdentity", "unverified_issuer", "verify_id_token"]

ALLOWED_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"})
_KEY_TYPES = {"RS": "RSA", "ES": "EC"}
NOT_A_JWT = (
    "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"
)


@dataclass(frozen=True, slots=True)
class WebIdentity:
    """A verified ID token: its issuer, subject, the audience that matched a client id, the
    ``amr`` values and every claim (for session tags and custom keys)."""

    issuer: str
    subject: str
    audience: str
    amr: tuple[str, ...]
    claims: Mapping[str, Any]


def unverified_issuer(token: str) -> str:
    """The ``iss`` claim, read before anything is verified: it names the provider whose keys
    then verify the token. InvalidIdentityToken when the token is not a JWS."""
    try:
        header = jwt.get_unverified_header(token)
        payload = jwt.decode(token, options={"verify_signature": False})
    except InvalidTokenError:
        raise InvalidIdentityToken(NOT_A_JWT) from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise InvalidIdentityToken(NOT_A_JWT)
    issuer = payload.get("iss")
    if not isinstance(issuer, str) or not issuer:
        raise InvalidIdentityToken("Missing a required claim: iss")
    return issuer


def _numeric_date(claims: Mapping[str, Any], name: str) -> int | None:
    value = claims.get(name)
    if value is None:
        return None
    # "Timestamps in the token must be formatted as either an integer or a long integer."
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidIdentityToken(f"Invalid claim: {name}")  # inferred wording
    return int(value)


def _verified_claims(token: str, keys: JwksCache, issuer: str) -> Mapping[str, Any]:
    try:
        header = jwt.get_unverified_header(token)
    except InvalidTokenError:
        raise InvalidIdentityToken(NOT_A_JWT) from None
    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or algorithm not in ALLOWED_ALGORITHMS:
        # alg "none", HMAC and anything else AWS does not accept (inferred wording)
        raise InvalidIdentityToken(f"Unsupported signing algorithm: {algorithm}")
    kid = header.get("kid")
    jwk = keys.key(issuer, kid if isinstance(kid, str) else None)
    if jwk.get("kty") != _KEY_TYPES[algorithm[:2]] or jwk.get("alg", algorithm) != algorithm:
        raise InvalidIdentityToken(NO_VERIFICATION_KEY)
    try:
        key = jwt.PyJWK(dict(jwk), algorithm=algorithm)
    except (PyJWKError, InvalidTokenError, ValueError, TypeError):
        raise InvalidIdentityToken(NO_VERIFICATION_KEY) from None
    try:
        claims = jwt.decode(
            token,
            key=key.key,
            algorithms=[algorithm],
            options={
                "verify_signature": True,
                "verify_exp": False,  # checked below against the server's clock
                "verify_nbf": False,
                "verify_iat": False,
                "verify_aud": False,
                "verify_iss": False,
            },
        )
    except InvalidTokenError:
        raise InvalidIdentityToken("Token signature is invalid") from None  # inferred wording
    if not isinstance(claims, dict):
        raise InvalidIdentityToken(NOT_A_JWT)
    return claims


def verify_id_token(
    token: str,
    *,
    issuer: str,
    client_ids: tuple[str, ...],
    keys: JwksCache,
    now: dt.datetime,
) -> WebIdentity:
    """The verified identity in ``token``, issued by the provider ``issuer`` with these client
    ids; raises InvalidIdentityToken or ExpiredTokenException."""
    claims = _verified_claims(token, keys, issuer)
    if claims.get("iss") != issuer:
        raise InvalidIdentityToken(f"No OpenIDConnect provider found in your account for {issuer}")
    for name in ("exp", "sub", "aud"):
        if name not in claims:
            raise InvalidIdentityToken(f"Missing a required claim: {name}")
    expires = _numeric_date(claims, "exp")
    not_before = _numeric_date(claims, "nbf")
    current = int(now.timestamp())
    if expires is not None and current >= expires:
        raise ExpiredTokenException(
            f"Token expired: current date/time {current} must be before the expiration "
            f"date/time {expires}"
        )
    if not_before is not None and current < not_before:
        raise InvalidIdentityToken(
            f"Token not yet valid: current date/time {current} must be after the not-before "
            f"date/time {not_before}"
        )  # inferred wording
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    matched = next((a for a in audiences if isinstance(a, str) and a in client_ids), None)
    if matched is None:
        raise InvalidIdentityToken("Incorrect token audience")
    subject = claims["sub"]
    if not isinstance(subject, str):
        raise InvalidIdentityToken("Invalid claim: sub")  # inferred wording
    amr = claims.get("amr", ())
    amr_values = tuple(str(v) for v in amr) if isinstance(amr, list) else (str(amr),) if amr else ()
    return WebIdentity(issuer, subject, matched, amr_values, claims)


def claim_text(value: object) -> str:
    """A claim value as a context key value: strings as they are, the rest as JSON."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
