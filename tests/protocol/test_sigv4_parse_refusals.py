"""What parse_signature refuses before any secret is known, with AWS's codes and messages."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from test_sigv4_testkit import (
    ACCESS_KEY_ID,
    SIGNED_AT,
    WireRequest,
    parse,
    presign,
    sign_form,
    verify,
)

from iamd.errors import (
    AwsError,
    IncompleteSignature,
    MissingAuthenticationToken,
    SignatureDoesNotMatch,
)
from iamd.protocol.sigv4 import scope_service_mismatch

CREDENTIAL = f"{ACCESS_KEY_ID}/20260314/us-east-1/iam/aws4_request"
SIGNATURE = "f" * 64


def _with_authorization(authorization: str) -> WireRequest:
    return sign_form().with_header("Authorization", authorization)


def _with_param(request: WireRequest, name: str, value: str | None) -> WireRequest:
    """``request`` with query parameter ``name`` set to the raw ``value`` (None removes it)."""
    pieces = [p for p in request.raw_query.split("&") if not p.startswith(f"{name}=")]
    if value is not None:
        pieces.append(f"{name}={value}")
    return replace(request, raw_query="&".join(pieces))


def _refusal(request: WireRequest, now: dt.datetime = SIGNED_AT) -> AwsError:
    with pytest.raises(AwsError) as caught:
        parse(request, now)
    return caught.value


def test_request_without_any_signature_is_missing_authentication_token() -> None:
    error = _refusal(sign_form().without_header("Authorization"))

    assert isinstance(error, MissingAuthenticationToken)
    assert error.status == 403
    assert error.message == "Request is missing Authentication Token"


def test_authorization_of_another_scheme_is_missing_authentication_token() -> None:
    error = _refusal(_with_authorization("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"))

    assert isinstance(error, MissingAuthenticationToken)


def test_presigned_algorithm_of_another_scheme_is_missing_authentication_token() -> None:
    error = _refusal(_with_param(presign(), "X-Amz-Algorithm", "HmacSHA256"))

    assert isinstance(error, MissingAuthenticationToken)


def test_header_and_query_signatures_together_are_refused() -> None:
    presigned = presign()
    request = replace(sign_form(), raw_query=presigned.raw_query)

    error = _refusal(request)

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.message == (
        "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."
    )


def test_missing_authorization_parameters_are_listed_with_the_header() -> None:
    authorization = f"AWS4-HMAC-SHA256 Credential={CREDENTIAL}"

    error = _refusal(_with_authorization(authorization))

    assert isinstance(error, IncompleteSignature)
    assert error.message == (
        "Authorization header requires 'Signature' parameter. "
        "Authorization header requires 'SignedHeaders' parameter. "
        f"Authorization={authorization}"
    )


def test_bare_algorithm_lacks_every_parameter() -> None:
    error = _refusal(_with_authorization("AWS4-HMAC-SHA256"))

    assert error.message == (
        "Authorization header requires 'Credential' parameter. "
        "Authorization header requires 'Signature' parameter. "
        "Authorization header requires 'SignedHeaders' parameter. "
        "Authorization=AWS4-HMAC-SHA256"
    )


def test_trailing_separators_in_authorization_are_ignored() -> None:
    request = sign_form()

    signed = parse(request.with_header("Authorization", request.header("Authorization") + ", "))

    assert signed.signature == parse(request).signature


def test_missing_date_header_is_listed() -> None:
    request = sign_form().without_header("X-Amz-Date")

    error = _refusal(request)

    assert isinstance(error, IncompleteSignature)
    assert error.message == (
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        f"Authorization={request.header('Authorization')}"
    )


def test_malformed_authorization_pair_is_named() -> None:
    authorization = (
        f"AWS4-HMAC-SHA256 Credential= {CREDENTIAL}, SignedHeaders=host, Signature={SIGNATURE}"
    )

    error = _refusal(_with_authorization(authorization))

    assert isinstance(error, IncompleteSignature)
    assert error.message == (
        f"'{CREDENTIAL}' not a valid key=value pair (missing equal-sign) in Authorization "
        f"header: '{authorization}'."
    )


def test_missing_query_parameters_are_listed() -> None:
    request = _with_param(_with_param(presign(), "X-Amz-Credential", None), "X-Amz-Date", None)

    error = _refusal(request)

    assert isinstance(error, IncompleteSignature)
    assert error.message == (
        "AWS query-string parameters must include 'X-Amz-Credential'. "
        "AWS query-string parameters must include 'X-Amz-Date'. "
        "Re-examine the query-string parameters."
    )


@pytest.mark.parametrize("date", ["2026-03-14T15:09:26Z", "20260314T150926", "20261314T150926Z"])
def test_date_not_in_basic_format_is_refused(date: str) -> None:
    error = _refusal(sign_form().with_header("X-Amz-Date", date))

    assert isinstance(error, IncompleteSignature)
    assert error.message == (
        f"Date must be in ISO-8601 'basic format'. Got '{date}'. "
        "See http://en.wikipedia.org/wiki/ISO_8601"
    )


def test_presigned_date_must_be_in_basic_format() -> None:
    error = _refusal(
        _with_param(presign(), "X-Amz-Date", "Sat,%2014%20Mar%202026%2015:09:26%20GMT")
    )

    assert isinstance(error, IncompleteSignature)
    assert error.message.startswith("Date must be in ISO-8601 'basic format'. Got 'Sat, 14 Mar")


def test_http_date_header_stands_in_for_x_amz_date() -> None:
    request = sign_form(headers=(("Date", "placeholder"),))
    assert request.header("Date") == "Sat, 14 Mar 2026 15:09:26 -0000"

    signed = verify(request)

    assert signed.request_time == SIGNED_AT
    assert "date" in signed.signed_headers


def test_request_older_than_fifteen_minutes_is_expired() -> None:
    now = SIGNED_AT + dt.timedelta(minutes=15, seconds=1)

    error = _refusal(sign_form(), now)

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.message == (
        "Signature expired: 20260314T150926Z is now earlier than 20260314T150927Z "
        "(20260314T152427Z - 15 min.)"
    )


def test_request_more_than_fifteen_minutes_ahead_is_not_yet_current() -> None:
    now = SIGNED_AT - dt.timedelta(minutes=15, seconds=1)

    error = _refusal(sign_form(), now)

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.message == (
        "Signature not yet current: 20260314T150926Z is still later than 20260314T150925Z "
        "(20260314T145425Z + 15 min.)"
    )


@pytest.mark.parametrize("skew", [dt.timedelta(minutes=15), dt.timedelta(minutes=-15)])
def test_fifteen_minutes_of_skew_either_way_is_accepted(skew: dt.timedelta) -> None:
    assert parse(sign_form(), SIGNED_AT + skew).request_time == SIGNED_AT


def test_presigned_request_expires_after_x_amz_expires() -> None:
    request = presign(expires=60)
    assert parse(request, SIGNED_AT + dt.timedelta(seconds=60)).expires == 60

    error = _refusal(request, SIGNED_AT + dt.timedelta(seconds=61))

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.message == (
        "Signature expired: 20260314T150926Z is now earlier than 20260314T150927Z "
        "(20260314T151027Z - 1 min.)"
    )


def test_presigned_lifetime_in_seconds_is_spelled_in_seconds() -> None:
    error = _refusal(presign(expires=30), SIGNED_AT + dt.timedelta(seconds=31))

    assert error.message.endswith("(20260314T150957Z - 30 sec.)")


def test_presigned_request_never_outlives_fifteen_minutes() -> None:
    request = presign(expires=3600)
    parse(request, SIGNED_AT + dt.timedelta(minutes=15))

    error = _refusal(request, SIGNED_AT + dt.timedelta(minutes=15, seconds=1))

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.message.endswith("(20260314T152427Z - 15 min.)")


def test_presigned_request_signed_in_the_future_is_not_yet_current() -> None:
    error = _refusal(presign(), SIGNED_AT - dt.timedelta(minutes=16))

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.message.startswith("Signature not yet current: 20260314T150926Z")


@pytest.mark.parametrize(
    ("expires", "message"),
    [
        ("soon", "X-Amz-Expires should be a number"),
        ("-1", "X-Amz-Expires must be non-negative"),
        ("604801", "X-Amz-Expires must be less than a week (in seconds) that is 604800"),
    ],
)
def test_bad_x_amz_expires_is_refused(expires: str, message: str) -> None:
    error = _refusal(_with_param(presign(), "X-Amz-Expires", expires))

    assert isinstance(error, IncompleteSignature)
    assert error.message == message


def test_unsigned_host_is_refused() -> None:
    request = sign_form()
    authorization = request.header("Authorization").replace(
        "SignedHeaders=content-type;host;x-amz-date", "SignedHeaders=content-type;x-amz-date"
    )

    error = _refusal(request.with_header("Authorization", authorization))

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.message == (
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
    )


def test_presigned_request_must_sign_host() -> None:
    error = _refusal(_with_param(presign(), "X-Amz-SignedHeaders", "x-amz-date"))

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.message.startswith("'Host' or ':authority' must be a 'SignedHeader'")


def test_other_algorithm_is_unsupported() -> None:
    authorization = sign_form().header("Authorization").replace("HMAC-SHA256", "HMAC-SHA512")

    error = _refusal(_with_authorization(authorization))

    assert isinstance(error, IncompleteSignature)
    assert error.message == (
        "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). "
    )


def test_other_presigned_algorithm_is_unsupported() -> None:
    error = _refusal(_with_param(presign(), "X-Amz-Algorithm", "AWS4-ECDSA-P256-SHA256"))

    assert isinstance(error, IncompleteSignature)
    assert error.message.startswith("Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'")


def _with_credential(credential: str) -> WireRequest:
    authorization = re.sub(
        r"Credential=[^,]*", f"Credential={credential}", sign_form().header("Authorization")
    )
    return _with_authorization(authorization)


def test_credential_with_four_elements_is_refused() -> None:
    credential = f"{ACCESS_KEY_ID}/20260314/us-east-1/iam"

    error = _refusal(_with_credential(credential))

    assert isinstance(error, IncompleteSignature)
    assert error.message == (
        "Credential must have exactly 5 slash-delimited elements, "
        f"e.g. keyid/date/region/service/term, got '{credential}'"
    )


def test_scope_without_aws4_request_terminator_is_refused() -> None:
    error = _refusal(_with_credential(f"{ACCESS_KEY_ID}/20260314/us-east-1/iam/aws4_reques"))

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.message == (
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reques'. "
    )


def test_scope_date_other_than_the_request_date_is_refused() -> None:
    error = _refusal(_with_credential(f"{ACCESS_KEY_ID}/20260313/us-east-1/iam/aws4_request"))

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.message == (
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
        "HTTP: '20260313' != '20260314', from '20260314T150926Z'."
    )


def test_every_scope_problem_is_named_at_once() -> None:
    error = _refusal(_with_credential(f"{ACCESS_KEY_ID}/2026031//iam/aws5_request"))

    assert error.message == (
        "Credential should be scoped to a valid region, not ''. "
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. "
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
        "HTTP: '2026031' != '20260314', from '20260314T150926Z'."
    )


def test_signed_header_absent_from_the_request_is_refused() -> None:
    request = sign_form(headers=(("X-Trace", "abc"),)).without_header("X-Trace")

    error = _refusal(request)

    assert isinstance(error, IncompleteSignature)
    assert error.message == (
        "'x-trace' is named as a SignedHeader, but it does not exist in the HTTP request."
    )


def test_expiry_is_checked_before_the_host() -> None:
    request = sign_form()
    authorization = request.header("Authorization").replace(";host;", ";")

    error = _refusal(request.with_header("Authorization", authorization), SIGNED_AT.replace(2027))

    assert error.message.startswith("Signature expired:")


def test_wrong_service_refusal_is_awss() -> None:
    error = scope_service_mismatch("sts")

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.status == 403
    assert error.message == "Credential should be scoped to correct service: 'sts'. "


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse(sign_form(), SIGNED_AT.replace(tzinfo=None))
