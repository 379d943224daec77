"""Requests signed by botocore's own signers, as they reach a server (shared by the SigV4 tests).

``SigV4Auth`` and ``SigV4QueryAuth`` sign an ``AWSRequest``; the HTTP client then adds ``Host``,
and the server sees the request target still percent-encoded and the headers as sent. The two
tests at the end check that this kit hands the verifier exactly what botocore signed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from unittest import mock
from urllib.parse import urlencode, urlsplit

from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSPreparedRequest, AWSRequest
from botocore.credentials import Credentials

from iamd.protocol.sigv4 import SignedRequest, parse_signature, verify_signature

ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
ENDPOINT = "http://127.0.0.1:9400/"
SIGNED_AT = dt.datetime(2026, 3, 14, 15, 9, 26, tzinfo=dt.UTC)
FORM = "application/x-www-form-urlencoded; charset=utf-8"
LIST_USERS = {"Action": "ListUsers", "Version": "2010-05-08"}


@dataclass(frozen=True, slots=True)
class WireRequest:
    """A request as the server receives it."""

    method: str
    raw_path: str
    raw_query: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def with_header(self, name: str, value: str) -> WireRequest:
        """This request with every ``name`` header replaced by one with ``value``."""
        kept = tuple((n, v) for n, v in self.headers if n.lower() != name.lower())
        return replace(self, headers=(*kept, (name, value)))

    def without_header(self, name: str) -> WireRequest:
        return replace(
            self, headers=tuple((n, v) for n, v in self.headers if n.lower() != name.lower())
        )

    def header(self, name: str) -> str:
        return next(v for n, v in self.headers if n.lower() == name.lower())


@contextmanager
def _clock(at: dt.datetime) -> Iterator[None]:
    with mock.patch("botocore.auth.get_current_datetime", return_value=at.replace(tzinfo=None)):
        yield


def _host(url: str) -> str:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}[parts.scheme]
    assert parts.hostname is not None
    return parts.hostname if parts.port in (None, default) else f"{parts.hostname}:{parts.port}"


def _text(value: str | bytes) -> str:
    """A header as the server decodes it: the wire bytes as ISO-8859-1."""
    return value.decode("latin-1") if isinstance(value, bytes) else value


def from_prepared(prepared: AWSPreparedRequest) -> WireRequest:
    """What the server receives for ``prepared`` once the HTTP client has added ``Host``."""
    parts = urlsplit(prepared.url)
    headers = (("Host", _host(prepared.url)), *prepared.headers.items())
    body = prepared.body or b""
    return WireRequest(
        method=prepared.method,
        raw_path=parts.path or "/",
        raw_query=parts.query,
        headers=tuple((_text(n), _text(v)) for n, v in headers),
        body=body if isinstance(body, bytes) else body.encode("utf-8"),
    )


def _to_wire(request: AWSRequest) -> WireRequest:
    return from_prepared(request.prepare())


def sign_form(
    params: Mapping[str, str] = LIST_USERS,
    *,
    url: str = ENDPOINT,
    service: str = "iam",
    region: str = "us-east-1",
    secret: str = SECRET,
    token: str | None = None,
    headers: Sequence[tuple[str, str]] = (),
    body: bytes | None = None,
    at: dt.datetime = SIGNED_AT,
) -> WireRequest:
    """A Query API POST with a form body, signed in the Authorization header as boto3 does."""
    data = body if body is not None else urlencode(params).encode("ascii")
    request = AWSRequest(
        method="POST", url=url, data=data, headers={"Content-Type": FORM, **dict(headers)}
    )
    with _clock(at):
        SigV4Auth(Credentials(ACCESS_KEY_ID, secret, token), service, region).add_auth(request)
    return _to_wire(request)


def presign(
    params: Mapping[str, str] = LIST_USERS,
    *,
    url: str = ENDPOINT,
    service: str = "iam",
    region: str = "us-east-1",
    secret: str = SECRET,
    token: str | None = None,
    expires: int = 900,
    at: dt.datetime = SIGNED_AT,
) -> WireRequest:
    """A GET whose signature is in the query string (``SigV4QueryAuth``)."""
    request = AWSRequest(method="GET", url=url, params=dict(params))
    signer = SigV4QueryAuth(Credentials(ACCESS_KEY_ID, secret, token), service, region, expires)
    with _clock(at):
        signer.add_auth(request)
    return _to_wire(request)


def parse(request: WireRequest, now: dt.datetime = SIGNED_AT) -> SignedRequest:
    return parse_signature(
        request.method, request.raw_path, request.raw_query, request.headers, now
    )


def verify(
    request: WireRequest, *, secret: str = SECRET, now: dt.datetime = SIGNED_AT
) -> SignedRequest:
    """Parse and verify ``request``; the parsed signature when it holds."""
    signed = parse(request, now)
    verify_signature(
        signed,
        request.method,
        request.raw_path,
        request.raw_query,
        request.headers,
        request.body,
        secret,
    )
    return signed


def test_the_kit_adds_the_host_botocore_signed() -> None:
    request = sign_form(url="http://iam.example.test:8443/")

    assert request.header("Host") == "iam.example.test:8443"
    assert "host" in parse(request).signed_headers


def test_the_kit_drops_the_default_port_from_host() -> None:
    assert presign(url="https://sts.example.test:443/").header("Host") == "sts.example.test"
