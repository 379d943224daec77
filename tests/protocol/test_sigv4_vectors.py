"""The AWS Signature Version 4 test suite (``sigv4_vectors/``, Apache-2.0, see its NOTICE).

For every vector the canonical request, the string to sign and the signature must be the
published ones. The request comes from ``.sreq`` (the signed request) with its Authorization
replaced by ``.authz``: ``get-vanilla-with-session-token.sreq`` carries a stale signature while
its ``.authz`` is right, and ``.req`` of that vector lacks the X-Amz-Security-Token header.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from iamd.errors import SignatureDoesNotMatch
from iamd.protocol.sigv4 import (
    canonical_request,
    parse_signature,
    string_to_sign,
    verify_signature,
)

VECTORS = Path(__file__).parent / "sigv4_vectors"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
NOW = dt.datetime(2015, 8, 30, 12, 36, tzinfo=dt.UTC)
CASES = sorted(path.parent for path in VECTORS.rglob("*.sreq"))


class Vector:
    """One vector's request, as a server receives it, and its published answers."""

    def __init__(self, folder: Path) -> None:
        name = folder.name
        self.creq = (folder / f"{name}.creq").read_text("utf-8")
        self.sts = (folder / f"{name}.sts").read_text("utf-8")
        self.authz = (folder / f"{name}.authz").read_text("utf-8").strip()
        # The wire bytes as a server decodes them (ISO-8859-1), UTF-8 paths included.
        head, _, body = (folder / f"{name}.sreq").read_bytes().decode("latin-1").partition("\n\n")
        request_line, *header_lines = head.split("\n")
        self.method, _, rest = request_line.partition(" ")
        target = rest.rsplit(" ", 1)[0]
        self.raw_path, _, self.raw_query = target.partition("?")
        headers: list[tuple[str, str]] = []
        for line in header_lines:
            if line[:1] in (" ", "\t") and headers:  # obs-fold: a continuation line
                headers[-1] = (headers[-1][0], f"{headers[-1][1]} {line.strip()}")
                continue
            header, _, value = line.partition(":")
            if header.lower() != "authorization":
                headers.append((header, value.lstrip()))
        headers.append(("Authorization", self.authz))
        self.headers = tuple(headers)
        self.body = body.encode("latin-1")


def _vector(folder: Path) -> Vector:
    return Vector(folder)


def test_every_vector_of_the_suite_is_here() -> None:
    assert len(CASES) == 34
    assert (VECTORS / "LICENSE").is_file()
    assert (VECTORS / "NOTICE").is_file()


@pytest.mark.parametrize("folder", CASES, ids=lambda folder: folder.name)
def test_canonical_request_is_the_published_one(folder: Path) -> None:
    v = _vector(folder)
    signed = parse_signature(v.method, v.raw_path, v.raw_query, v.headers, NOW)

    creq = canonical_request(signed, v.method, v.raw_path, v.raw_query, v.headers, v.body)

    assert creq == v.creq


@pytest.mark.parametrize("folder", CASES, ids=lambda folder: folder.name)
def test_string_to_sign_is_the_published_one(folder: Path) -> None:
    v = _vector(folder)
    signed = parse_signature(v.method, v.raw_path, v.raw_query, v.headers, NOW)

    assert string_to_sign(signed, v.creq) == v.sts


@pytest.mark.parametrize("folder", CASES, ids=lambda folder: folder.name)
def test_published_signature_verifies(folder: Path) -> None:
    v = _vector(folder)
    signed = parse_signature(v.method, v.raw_path, v.raw_query, v.headers, NOW)

    assert v.authz.endswith(f"Signature={signed.signature}")
    verify_signature(signed, v.method, v.raw_path, v.raw_query, v.headers, v.body, SECRET)


@pytest.mark.parametrize("folder", CASES, ids=lambda folder: folder.name)
def test_published_signature_fails_under_another_secret(folder: Path) -> None:
    v = _vector(folder)
    signed = parse_signature(v.method, v.raw_path, v.raw_query, v.headers, NOW)

    with pytest.raises(SignatureDoesNotMatch):
        verify_signature(
            signed, v.method, v.raw_path, v.raw_query, v.headers, v.body, SECRET[:-1] + "X"
        )


def test_stale_sreq_signature_of_the_session_token_vector_is_refused() -> None:
    folder = VECTORS / "get-vanilla-with-session-token"
    v = _vector(folder)
    stale = (folder / f"{folder.name}.sreq").read_text("utf-8").split("Authorization: ")[1]
    headers = (*v.headers[:-1], ("Authorization", stale.strip()))
    signed = parse_signature(v.method, v.raw_path, v.raw_query, headers, NOW)

    assert signed.security_token is not None
    with pytest.raises(SignatureDoesNotMatch):
        verify_signature(signed, v.method, v.raw_path, v.raw_query, headers, v.body, SECRET)
