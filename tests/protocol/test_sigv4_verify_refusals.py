"""Any change to what was signed fails verify_signature with AWS's one coarse message."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest
from botocore.auth import S3SigV4QueryAuth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from test_sigv4_testkit import (
    ACCESS_KEY_ID,
    ENDPOINT,
    SECRET,
    SIGNED_AT,
    WireRequest,
    from_prepared,
    parse,
    presign,
    sign_form,
    verify,
)

from iamd.errors import SignatureDoesNotMatch
from iamd.protocol.sigv4 import verify_signature

MESSAGE = (
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details."
)


def _refused(request: WireRequest, *, secret: str = SECRET) -> SignatureDoesNotMatch:
    with pytest.raises(SignatureDoesNotMatch) as caught:
        verify(request, secret=secret)
    assert caught.value.message == MESSAGE
    assert caught.value.status == 403
    return caught.value


def test_other_secret_is_refused() -> None:
    _refused(sign_form(), secret=SECRET.replace("w", "W", 1))


def test_refusal_names_neither_the_expected_signature_nor_the_canonical_request() -> None:
    request = sign_form()
    right = request.header("Authorization").rsplit("=", 1)[1]
    wrong = request.with_header(
        "Authorization", request.header("Authorization").replace(right, "0" * 64)
    )

    error = _refused(wrong)

    assert right not in str(error)
    assert "POST\n/" not in str(error)
    assert SECRET not in repr(error)


def test_changed_body_is_refused() -> None:
    request = sign_form()

    _refused(replace(request, body=request.body.replace(b"ListUsers", b"ListRoles")))


def test_body_with_a_byte_more_is_refused() -> None:
    request = sign_form()

    _refused(replace(request, body=request.body + b"&"))


def test_changed_signed_header_is_refused() -> None:
    _refused(sign_form().with_header("Content-Type", "application/x-www-form-urlencoded"))


def test_changed_host_is_refused() -> None:
    _refused(sign_form().with_header("Host", "127.0.0.1:9401"))


def test_changed_request_time_is_refused() -> None:
    _refused(sign_form().with_header("X-Amz-Date", "20260314T150927Z"))


def test_changed_session_token_is_refused() -> None:
    _refused(sign_form(token="token-one").with_header("X-Amz-Security-Token", "token-two"))


def test_changed_method_is_refused() -> None:
    _refused(replace(sign_form(), method="PUT"))


def test_changed_path_is_refused() -> None:
    _refused(replace(sign_form(), raw_path="/iam"))


def test_added_query_parameter_is_refused() -> None:
    _refused(replace(sign_form(), raw_query="Action=DeleteUser"))


def test_changed_query_value_is_refused() -> None:
    request = sign_form(url=f"{ENDPOINT}?Marker=abc")

    _refused(replace(request, raw_query="Marker=abd"))


def test_changed_presigned_parameter_is_refused() -> None:
    request = presign({"Action": "GetUser", "UserName": "alice"})

    _refused(replace(request, raw_query=request.raw_query.replace("alice", "mallory")))


def test_plus_and_encoded_plus_are_not_interchangeable() -> None:
    request = presign({"Action": "GetUser", "UserName": "a+b"})
    assert "UserName=a%2Bb" in request.raw_query

    _refused(replace(request, raw_query=request.raw_query.replace("a%2Bb", "a+b")))


def test_changed_signature_is_refused() -> None:
    request = sign_form()
    signed = parse(request)

    with pytest.raises(SignatureDoesNotMatch):
        verify_signature(
            replace(signed, signature=signed.signature.upper()),
            request.method,
            request.raw_path,
            request.raw_query,
            request.headers,
            request.body,
            SECRET,
        )


def test_signed_content_sha256_that_does_not_describe_the_body_is_refused() -> None:
    digest = hashlib.sha256(b"something else").hexdigest()

    _refused(sign_form(headers=(("X-Amz-Content-SHA256", digest),)))


def test_unsigned_payload_is_refused_in_the_authorization_header() -> None:
    _refused(sign_form(headers=(("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"),)))


def _presign_declaring(content_sha256: str, body: bytes) -> WireRequest:
    """A presigned request with a signed X-Amz-Content-SHA256 header, sent with ``body``."""
    request = AWSRequest(
        method="POST",
        url=ENDPOINT,
        params={"Action": "ListUsers", "Version": "2010-05-08"},
        headers={"X-Amz-Content-SHA256": content_sha256},
    )
    auth = SigV4QueryAuth(Credentials(ACCESS_KEY_ID, SECRET), "iam", "us-east-1", 300)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("botocore.auth.get_current_datetime", lambda: SIGNED_AT.replace(tzinfo=None))
        auth.add_auth(request)
    return replace(from_prepared(request.prepare()), body=body)


def test_unsigned_payload_is_allowed_in_a_presigned_request_without_body() -> None:
    signed = verify(_presign_declaring("UNSIGNED-PAYLOAD", b""))

    assert signed.presigned
    assert "x-amz-content-sha256" in signed.signed_headers


def test_unsigned_payload_never_lets_a_body_in_unsigned() -> None:
    # The body of a Query call holds parameters: unsigned, anyone with the URL could add some.
    _refused(_presign_declaring("UNSIGNED-PAYLOAD", b"UserName=mallory"))


def test_presigned_content_sha256_binds_the_body() -> None:
    body = b"Action=ListUsers"
    verify(_presign_declaring(hashlib.sha256(body).hexdigest(), body))

    _refused(_presign_declaring(hashlib.sha256(body).hexdigest(), b"Action=DeleteUser"))


def _presign_unsigned_payload_in_query(body: bytes) -> WireRequest:
    """A presigned request whose X-Amz-Content-Sha256 is in the query, as the JS SDK v3 puts it."""
    request = AWSRequest(
        method="POST",
        url=ENDPOINT,
        params={"Action": "ListUsers", "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD"},
    )
    # S3's query signer hashes nothing: its canonical request ends in UNSIGNED-PAYLOAD.
    auth = S3SigV4QueryAuth(Credentials(ACCESS_KEY_ID, SECRET), "iam", "us-east-1", 300)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("botocore.auth.get_current_datetime", lambda: SIGNED_AT.replace(tzinfo=None))
        auth.add_auth(request)
    return replace(from_prepared(request.prepare()), body=body)


def test_unsigned_payload_may_be_declared_in_the_presigned_query() -> None:
    request = _presign_unsigned_payload_in_query(b"")
    assert "X-Amz-Content-Sha256=UNSIGNED-PAYLOAD" in request.raw_query

    assert verify(request).presigned
    _refused(replace(request, body=b"Action=DeleteUser"))
