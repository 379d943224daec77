"""The canonical parts of a SigV4 request: URI, query string and headers.

Implements "Create a canonical request" of *Signature Version 4 signing process* (AWS General
Reference, "Elements of an AWS API request signature"), for every service but Amazon S3:

* the URI path is normalised (RFC 3986 section 5.2.4 dot segments removed, empty segments
  collapsed) and then URI-encoded once more, so the path as sent on the wire is encoded twice;
* the query string is decoded and re-encoded with only the RFC 3986 unreserved characters left
  bare, then sorted by encoded name and, for repeated names, by encoded value;
* header names are lower-cased, values trimmed with inner runs of whitespace collapsed to one
  space, repeated headers joined with ``,`` in the order received.

Inputs are ``str`` as a server receives them: the request target and header values decoded from
the wire bytes as ISO-8859-1 (Starlette's and the ASGI convention), so every byte maps back
exactly. A character above U+00FF, which no wire byte decodes to, is taken as UTF-8.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import quote_from_bytes, unquote_to_bytes

__all__ = [
    "canonical_headers",
    "canonical_query_string",
    "canonical_uri",
    "header_values",
    "query_pairs",
    "trim_header_value",
]


def _wire_bytes(text: str) -> bytes:
    """The bytes a wire string was decoded from (ISO-8859-1), or its UTF-8 if it cannot be."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def canonical_uri(raw_path: str) -> str:
    """The CanonicalURI of a non-S3 request: normalise the wire path, then URI-encode it.

    ``raw_path`` is the path as received (still percent-encoded); it is encoded again, as the
    SigV4 specification asks of every service but S3 (``/a%20b`` becomes ``/a%2520b``).
    """
    path = _wire_bytes(raw_path)
    if not path:
        return "/"
    segments: list[bytes] = []
    for segment in path.split(b"/"):
        if not segment or segment == b".":
            continue
        if segment == b"..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    leading = b"/" if path.startswith(b"/") else b""
    trailing = b"/" if path.endswith(b"/") and segments else b""
    normalised = leading + b"/".join(segments) + trailing
    # quote_from_bytes leaves A-Z a-z 0-9 - . _ ~ bare; '/' separates segments.
    return quote_from_bytes(normalised or b"/", safe="/")


def _form_decode(component: bytes) -> bytes:
    """Decode one name or value of ``application/x-www-form-urlencoded`` data (``+`` is a space).

    Decoding as the form parser does binds the signature to the values the server will act on:
    ``a+b`` and ``a%2Bb`` mean different things, so they canonicalise differently.
    """
    return unquote_to_bytes(component.replace(b"+", b" "))


def query_pairs(raw_query: str) -> list[tuple[bytes, bytes]]:
    """The decoded ``(name, value)`` pairs of a raw query string, in order; empty pieces skipped."""
    if not raw_query:
        return []
    pairs: list[tuple[bytes, bytes]] = []
    for piece in _wire_bytes(raw_query).split(b"&"):
        if not piece:
            continue
        name, _, value = piece.partition(b"=")
        pairs.append((_form_decode(name), _form_decode(value)))
    return pairs


def _encode(component: bytes) -> str:
    return quote_from_bytes(component, safe="")


def canonical_query_string(pairs: Iterable[tuple[bytes, bytes]], *, exclude: bytes = b"") -> str:
    """The CanonicalQueryString: each name and value URI-encoded, sorted by name then value.

    ``exclude`` names a parameter left out (``X-Amz-Signature`` of a presigned request).
    """
    encoded = sorted(
        (_encode(name), _encode(value)) for name, value in pairs if not exclude or name != exclude
    )
    return "&".join(f"{name}={value}" for name, value in encoded)


def trim_header_value(value: str) -> str:
    """Trimall: strip the value and collapse each inner run of whitespace to one space."""
    return " ".join(value.split())


def header_values(headers: Sequence[tuple[str, str]], names: Iterable[str]) -> dict[str, list[str]]:
    """The trimmed values of the headers in ``names`` (lower-case), in the order received."""
    wanted: dict[str, list[str]] = {name: [] for name in names}
    for name, value in headers:
        found = wanted.get(name.lower())
        if found is not None:
            found.append(trim_header_value(value))
    return wanted


def canonical_headers(names: Sequence[str], values: dict[str, list[str]]) -> str:
    """The CanonicalHeaders block for the signed header ``names``, each line ending in ``\\n``."""
    return "".join(f"{name}:{','.join(values[name])}\n" for name in names)
