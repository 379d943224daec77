"""Identity providers: OpenID Connect and SAML 2.0 ("Identity providers and federation",
id_roles_providers; "Create an OpenID Connect (OIDC) identity provider in IAM",
id_roles_providers_create_oidc; "Create a SAML identity provider in IAM",
id_roles_providers_create_saml).

An OIDC provider is named by its URL: the ARN is ``oidc-provider/`` followed by the URL without
its ``https://`` scheme, which is also how GetOpenIDConnectProvider answers the URL.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "MAX_THUMBPRINTS",
    "OidcProvider",
    "OidcUrlProblem",
    "SamlPrivateKey",
    "SamlProvider",
    "is_thumbprint",
    "oidc_provider_arn",
    "oidc_provider_name",
    "saml_provider_arn",
]

MAX_THUMBPRINTS = 5
"""CreateOpenIDConnectProvider: "IAM lets you have up to five thumbprints for an OIDC
provider"."""

_THUMBPRINT = re.compile(r"[0-9A-Fa-f]{40}")


class OidcUrlProblem(ValueError):
    """A provider URL IAM does not accept; the message is AWS's answer."""


def is_thumbprint(text: str) -> bool:
    """A hex-encoded SHA-1 digest: "It is always a 40-character string"."""
    return _THUMBPRINT.fullmatch(text) is not None


def oidc_provider_name(url: str) -> str:
    """The provider's name (its URL without the scheme) for a CreateOpenIDConnectProvider URL:
    ``https://`` required, path allowed, no query, fragment or user information."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise OidcUrlProblem("Invalid Open ID Connect Provider URL")
    if parts.query or parts.fragment or "?" in url or "#" in url or "@" in parts.netloc:
        raise OidcUrlProblem("Invalid Open ID Connect Provider URL")
    # Host names do not depend on case; the path does.
    return parts.netloc.lower() + parts.path


def oidc_provider_arn(account_id: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:oidc-provider/{name}"


def saml_provider_arn(account_id: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:saml-provider/{name}"


@dataclass(frozen=True, slots=True)
class OidcProvider:
    """``name`` is the URL without ``https://`` (what the ARN and GetOpenIDConnectProvider's
    ``Url`` carry)."""

    account_id: str
    name: str
    client_ids: tuple[str, ...]
    thumbprints: tuple[str, ...]
    created_at: dt.datetime

    @property
    def arn(self) -> str:
        return oidc_provider_arn(self.account_id, self.name)

    @property
    def issuer(self) -> str:
        """The ``iss`` claim of the provider's tokens."""
        return f"https://{self.name}"


@dataclass(frozen=True, slots=True)
class SamlPrivateKey:
    """A private key the provider decrypts encrypted SAML assertions with. ``pem`` is only
    ever held in memory; at rest the whole key list is encrypted under the master key."""

    key_id: str
    created_at: dt.datetime
    pem: str


@dataclass(frozen=True, slots=True)
class SamlProvider:
    """A SAML provider. ``private_keys_ciphertext`` is the encrypted list of
    :class:`SamlPrivateKey` (None when there is none); only the services can open it."""

    account_id: str
    name: str
    uuid: str
    metadata_document: str
    created_at: dt.datetime
    valid_until: dt.datetime | None
    assertion_encryption_mode: str | None = None
    private_keys_ciphertext: bytes | None = None

    @property
    def arn(self) -> str:
        return saml_provider_arn(self.account_id, self.name)
