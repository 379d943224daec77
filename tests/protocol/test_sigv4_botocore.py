"""Requests signed by botocore and boto3 themselves verify."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.awsrequest import AWSPreparedRequest
from test_sigv4_testkit import (
    ACCESS_KEY_ID,
    SECRET,
    SIGNED_AT,
    WireRequest,
    from_prepared,
    parse,
    presign,
    sign_form,
    verify,
)

from iamd.protocol.sigv4 import SigningKeyCache, verify_signature


class _Captured(Exception):
    def __init__(self, request: AWSPreparedRequest) -> None:
        super().__init__("captured")
        self.request = request


def _capture(request: AWSPreparedRequest, **_: Any) -> None:
    raise _Captured(request)


def _boto3_request(service: str, call: str, **params: Any) -> WireRequest:
    """The request a real boto3 client sends for ``call``, caught before it leaves."""
    client = boto3.client(
        service,
        endpoint_url="http://127.0.0.1:9400",
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET,
        aws_session_token="FwoGZXIvYXdzEXAMPLETOKEN+/=",
    )
    client.meta.events.register("before-send", _capture)
    with pytest.raises(_Captured) as caught:
        getattr(client, call)(**params)
    return from_prepared(caught.value.request)


def test_boto3_iam_call_verifies() -> None:
    request = _boto3_request("iam", "create_user", UserName="alice", Path="/eng/")
    signed = parse(request, dt.datetime.now(dt.UTC))

    verify(request, now=signed.request_time)
    assert (signed.service, signed.region) == ("iam", "us-east-1")
    assert signed.security_token == "FwoGZXIvYXdzEXAMPLETOKEN+/="


def test_boto3_sts_call_verifies() -> None:
    request = _boto3_request("sts", "get_caller_identity")
    signed = parse(request, dt.datetime.now(dt.UTC))

    verify(request, now=signed.request_time)
    assert signed.service == "sts"
    assert signed.signed_headers == ("content-type", "host", "x-amz-date", "x-amz-security-token")


def test_boto3_presigned_sts_url_verifies() -> None:
    client = boto3.client(
        "sts",
        endpoint_url="http://127.0.0.1:9400",
        region_name="eu-west-1",
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET,
    )
    url = urlsplit(client.generate_presigned_url("get_caller_identity", ExpiresIn=60))
    # boto3 presigns with the operation's HTTP method, POST for every Query API call.
    request = WireRequest("POST", url.path, url.query, (("Host", url.netloc),), b"")
    signed = parse(request, dt.datetime.now(dt.UTC))

    verify(request, now=signed.request_time)
    assert (signed.presigned, signed.expires, signed.region) == (True, 60, "eu-west-1")


def test_form_post_signed_in_header_verifies() -> None:
    signed = verify(sign_form())

    assert signed.access_key_id == ACCESS_KEY_ID
    assert signed.scope_date == "20260314"
    assert signed.request_time == SIGNED_AT
    assert not signed.presigned
    assert signed.expires is None
    assert signed.security_token is None


def test_session_token_in_header_is_signed_and_read() -> None:
    signed = verify(sign_form(token="IQoJb3JpZ2luX2VjEXAMPLE//+=="))

    assert signed.security_token == "IQoJb3JpZ2luX2VjEXAMPLE//+=="
    assert "x-amz-security-token" in signed.signed_headers


def test_presigned_get_verifies() -> None:
    signed = verify(presign(expires=300))

    assert signed.presigned
    assert signed.expires == 300
    assert signed.signed_headers == ("host",)


def test_presigned_session_token_is_read_from_the_query() -> None:
    signed = verify(presign(token="IQoJb3JpZ2luX2VjEXAMPLE//+=="))

    assert signed.security_token == "IQoJb3JpZ2luX2VjEXAMPLE//+=="


def test_any_region_verifies() -> None:
    assert verify(sign_form(region="ap-southeast-2")).region == "ap-southeast-2"


def test_query_string_on_a_signed_post_verifies() -> None:
    request = sign_form(url="http://127.0.0.1:9400/?Action=ListUsers&Marker=a%2Fb%20c")

    verify(request)


def test_signed_content_sha256_of_the_body_verifies() -> None:
    body = b"Action=ListUsers&Version=2010-05-08"
    digest = hashlib.sha256(body).hexdigest()
    request = sign_form(body=body, headers=(("X-Amz-Content-SHA256", digest),))

    assert "x-amz-content-sha256" in verify(request).signed_headers


def test_unsigned_headers_added_after_signing_do_not_matter() -> None:
    request = sign_form().with_header("User-Agent", "proxy/1.0").with_header("X-Forwarded-For", "1")

    verify(request)


def test_cached_signing_key_verifies_like_a_derived_one() -> None:
    request = sign_form()
    signed = parse(request)
    keys = SigningKeyCache()

    for _ in range(2):
        verify_signature(
            signed,
            request.method,
            request.raw_path,
            request.raw_query,
            request.headers,
            request.body,
            SECRET,
            keys,
        )
    assert len(keys) == 1
