"""STS operations: one module per area (STS API Reference, 2011-06-15)."""

from iamd.services.sts import (
    assume_role,
    federation,
    identity,
    keys,
    messages,
    saml,
    sessions,
    unavailable,
    web_identity,
)

__all__ = [
    "assume_role",
    "federation",
    "identity",
    "keys",
    "messages",
    "saml",
    "sessions",
    "unavailable",
    "web_identity",
]
