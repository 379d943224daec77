"""Policy documents as AWS sends them in responses: URL-encoded (RFC 3986), which the SDKs
decode (botocore's ``json_decode_policies`` handler)."""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["encoded_document"]


def encoded_document(text: str) -> str:
    return quote(text, safe="*")
