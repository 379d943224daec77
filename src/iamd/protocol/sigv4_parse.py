"""Reading a SigV4 signature and checking what needs no secret.

Implements the checks AWS makes before it looks up the caller's secret (AWS General Reference,
*Signature Version 4 signing process*: "Elements of an AWS API request signature", "Handling
dates in Signature Version 4", "Authentication methods" for the presigned query string), in the
order AWS makes them: presence of every part, date format, clock skew (15 minutes either way)
and a presigned request's lifetime, ``host`` signed, algorithm, credential shape, credential
scope, signed headers present.

The messages are AWS's own, quoted from AWS responses: STS, IAM, SNS and DynamoDB error bodies
in aws/aws-cli#6676, aws/aws-sdk-js#265, boto/boto3#756, jenkinsci/aws-credentials-plugin#72,
aws/aws-sdk-js#792, timkay/aws#111, mhart/aws4#97, aws/aws-sdk-ruby#508, serverless/enterprise#11,
awslabs/aws-mobile-appsync-sdk-js#702, aws/chalice#828, brendanhay/amazonka#316 and the responses
recorded in mhart/dynalite's ``index.js``. The X-Amz-Expires texts are S3's (minio/minio-js#1312,
bryanjos/aws_auth#31): IAM and STS publish none of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from iamd.errors import IncompleteSignature, MissingAuthenticationToken, SignatureDoesNotMatch
from iamd.protocol.sigv4_canonical import query_pairs

__all__ = [
    "ALGORITHM",
    "MAX_CLOCK_SKEW",
    "MAX_PRESIGN_EXPIRES",
    "MSG_BOTH_FORMS",
    "MSG_HOST_NOT_SIGNED",
    "MSG_MISSING_AUTH",
    "TERMINATOR",
    "SignedRequest",
    "parse_signature",
    "scope_service_mismatch",
]

ALGORITHM = "AWS4-HMAC-SHA256"
TERMINATOR = "aws4_request"
#: How far the request time may be from the server's clock, either way.
MAX_CLOCK_SKEW = timedelta(minutes=15)
#: The longest X-Amz-Expires SigV4 allows (seven days, in seconds).
MAX_PRESIGN_EXPIRES = 604800
_ISO_BASIC = "%Y%m%dT%H%M%SZ"
_ISO_BASIC_SHAPE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z")
_AUTH_SEPARATORS = re.compile(r"[\s,]+")
_QUERY_AUTH_PARAMS = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    "X-Amz-Security-Token",
)

MSG_MISSING_AUTH = "Request is missing Authentication Token"
MSG_BOTH_FORMS = (
    "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."
)
MSG_HOST_NOT_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """The parts of a request's SigV4 signature, checked for shape, scope and time."""

    access_key_id: str
    scope_date: str  # YYYYMMDD
    region: str
    service: str
    signed_headers: tuple[str, ...]  # lower-case, in the order the signer listed them
    signature: str
    request_time: datetime  # timezone-aware UTC, from X-Amz-Date (or Date)
    security_token: str | None
    presigned: bool
    expires: int | None  # X-Amz-Expires of a presigned request


@dataclass(frozen=True, slots=True)
class _Parts:
    """The signature's parts as sent, before any is checked."""

    algorithm: str
    credential: str
    signed_headers: str
    signature: str
    date: str
    expires: str | None
    security_token: str | None
    presigned: bool


def scope_service_mismatch(expected_service: str) -> SignatureDoesNotMatch:
    """AWS's refusal of a credential scoped to another service than ``expected_service``."""
    return SignatureDoesNotMatch(
        f"Credential should be scoped to correct service: '{expected_service}'. "
    )


def parse_signature(
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Sequence[tuple[str, str]],
    now: datetime,
) -> SignedRequest:
    """Read and check a request's SigV4 signature, everything but the signature itself.

    ``raw_path`` and ``raw_query`` are the request target as received (still percent-encoded),
    ``headers`` every header in order, strings decoded from the wire as ISO-8859-1, ``now``
    the server's timezone-aware time. ``method`` and ``raw_path`` play no part in these checks;
    they are taken so both steps share one shape. Raises ``MissingAuthenticationToken``,
    ``IncompleteSignature`` or ``SignatureDoesNotMatch`` with AWS's messages, checking in the
    order AWS does: presence, date and expiry, host signed, algorithm, credential, scope.
    """
    del method, raw_path
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    first = _first_values(headers)
    authorization = first.get("authorization")
    params = _auth_params(raw_query)
    if authorization is not None and "X-Amz-Algorithm" in params:
        raise SignatureDoesNotMatch(MSG_BOTH_FORMS)
    if authorization is not None:
        parts = _header_parts(authorization, first)
    elif "X-Amz-Algorithm" in params:
        parts = _query_parts(params)
    else:
        raise MissingAuthenticationToken(MSG_MISSING_AUTH)

    request_time = _parse_date(parts.date, presigned=parts.presigned)
    expires = _parse_expires(parts.expires)
    _check_time(request_time, expires, now)
    signed_headers = tuple(name.lower() for name in parts.signed_headers.split(";"))
    if "host" not in signed_headers and ":authority" not in signed_headers:
        raise SignatureDoesNotMatch(MSG_HOST_NOT_SIGNED)
    if parts.algorithm != ALGORITHM:
        raise IncompleteSignature(
            f"Unsupported AWS 'algorithm': '{parts.algorithm}' (only {ALGORITHM} for now). "
        )
    scope = parts.credential.split("/")
    if len(scope) != 5:
        raise IncompleteSignature(
            "Credential must have exactly 5 slash-delimited elements, "
            f"e.g. keyid/date/region/service/term, got '{parts.credential}'"
        )
    access_key_id, scope_date, region, service, terminator = scope
    _check_scope(scope_date, region, terminator, request_time, parts.date)
    _check_headers_present(signed_headers, first)
    return SignedRequest(
        access_key_id=access_key_id,
        scope_date=scope_date,
        region=region,
        service=service,
        signed_headers=signed_headers,
        signature=parts.signature,
        request_time=request_time,
        security_token=parts.security_token,
        presigned=parts.presigned,
        expires=expires,
    )


# -- reading the parts ---------------------------------------------------------------------------


def _first_values(headers: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The first value of each header, by lower-case name."""
    first: dict[str, str] = {}
    for name, value in headers:
        first.setdefault(name.lower(), value)
    return first


def _auth_params(raw_query: str) -> dict[str, str]:
    """The first value of each X-Amz-* authentication parameter in the query string."""
    params: dict[str, str] = {}
    for name, value in query_pairs(raw_query):
        key = name.decode("utf-8", "replace")
        if key in _QUERY_AUTH_PARAMS and key not in params:
            params[key] = value.decode("utf-8", "replace")
    return params


def _header_parts(authorization: str, headers: dict[str, str]) -> _Parts:
    text = authorization.strip()
    if not text.startswith("AWS4-"):
        raise MissingAuthenticationToken(MSG_MISSING_AUTH)
    algorithm, *rest = _AUTH_SEPARATORS.split(text, maxsplit=1)
    fields: dict[str, str] = {}
    for piece in _AUTH_SEPARATORS.split(rest[0] if rest else ""):
        if not piece:
            continue
        name, equals, value = piece.partition("=")
        if not equals:
            raise IncompleteSignature(
                f"'{piece}' not a valid key=value pair (missing equal-sign) in Authorization "
                f"header: '{text}'."
            )
        fields[name] = value
    date = headers.get("x-amz-date")
    if date is None:
        date = headers.get("date")
    # An empty SignedHeaders is present; the check that host is signed refuses it next.
    missing = [
        f"Authorization header requires '{name}' parameter."
        for name in ("Credential", "Signature", "SignedHeaders")
        if name not in fields or (not fields[name] and name != "SignedHeaders")
    ]
    if date is None:
        missing.append(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        )
    if missing or date is None:
        raise IncompleteSignature(" ".join(missing) + f" Authorization={text}")
    token = headers.get("x-amz-security-token")
    return _Parts(
        algorithm=algorithm,
        credential=fields["Credential"],
        signed_headers=fields["SignedHeaders"],
        signature=fields["Signature"],
        date=date.strip(),
        expires=None,
        security_token=None if token is None else token.strip(),
        presigned=False,
    )


def _query_parts(params: dict[str, str]) -> _Parts:
    algorithm = params["X-Amz-Algorithm"]
    if not algorithm.startswith("AWS4-"):
        raise MissingAuthenticationToken(MSG_MISSING_AUTH)
    required = ("X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date")
    missing = [name for name in required if not params.get(name)]
    if missing:
        raise IncompleteSignature(
            "".join(f"AWS query-string parameters must include '{name}'. " for name in missing)
            + "Re-examine the query-string parameters."
        )
    return _Parts(
        algorithm=algorithm,
        credential=params["X-Amz-Credential"],
        signed_headers=params["X-Amz-SignedHeaders"],
        signature=params["X-Amz-Signature"],
        date=params["X-Amz-Date"],
        expires=params.get("X-Amz-Expires"),
        security_token=params.get("X-Amz-Security-Token"),
        presigned=True,
    )


# -- checking them -------------------------------------------------------------------------------


def _parse_date(text: str, *, presigned: bool) -> datetime:
    """X-Amz-Date in ISO 8601 basic format; the Date header may also be an RFC 7231 date."""
    basic = _ISO_BASIC_SHAPE.fullmatch(text)
    if basic is not None:
        try:
            year, month, day, hour, minute, second = (int(field) for field in basic.groups())
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        except ValueError:
            pass
    elif not presigned:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is not None:
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    raise IncompleteSignature(
        f"Date must be in ISO-8601 'basic format'. Got '{text}'. "
        "See http://en.wikipedia.org/wiki/ISO_8601"
    )


def _parse_expires(text: str | None) -> int | None:
    if text is None:
        return None
    if re.fullmatch(r"-?[0-9]{1,12}", text) is None:
        raise IncompleteSignature("X-Amz-Expires should be a number")
    expires = int(text)
    if expires < 0:
        raise IncompleteSignature("X-Amz-Expires must be non-negative")
    if expires > MAX_PRESIGN_EXPIRES:
        raise IncompleteSignature(
            "X-Amz-Expires must be less than a week (in seconds) that is 604800"
        )
    return expires


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_ISO_BASIC)


def _span(seconds: int) -> str:
    return f"{seconds // 60} min." if seconds and seconds % 60 == 0 else f"{seconds} sec."


def _check_time(request_time: datetime, expires: int | None, now: datetime) -> None:
    """Refuse a request more than 15 minutes old or early, or past its presigned lifetime.

    IAM and STS honour X-Amz-Expires only below the 15-minute window: a longer one still
    expires 15 minutes after X-Amz-Date, as AWS answers (aws/aws-sdk-go#2167).
    """
    window = MAX_CLOCK_SKEW
    if expires is not None and expires < window.total_seconds():
        window = timedelta(seconds=expires)
    earliest = now - window
    if request_time < earliest:
        raise SignatureDoesNotMatch(
            f"Signature expired: {_stamp(request_time)} is now earlier than {_stamp(earliest)} "
            f"({_stamp(now)} - {_span(int(window.total_seconds()))})"
        )
    latest = now + MAX_CLOCK_SKEW
    if request_time > latest:
        raise SignatureDoesNotMatch(
            f"Signature not yet current: {_stamp(request_time)} is still later than "
            f"{_stamp(latest)} ({_stamp(now)} + 15 min.)"
        )


def _check_scope(
    scope_date: str, region: str, terminator: str, request_time: datetime, date_text: str
) -> None:
    """The scope's region must be named, its terminator aws4_request, its date the request's."""
    problems = ""
    if not region:
        problems += f"Credential should be scoped to a valid region, not '{region}'. "
    if terminator != TERMINATOR:
        problems += (
            f"Credential should be scoped with a valid terminator: '{TERMINATOR}', "
            f"not '{terminator}'. "
        )
    request_date = f"{request_time.year:04d}{request_time.month:02d}{request_time.day:02d}"
    if scope_date != request_date:
        problems += (
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            f"from HTTP: '{scope_date}' != '{request_date}', from '{date_text}'."
        )
    if problems:
        raise SignatureDoesNotMatch(problems)


def _check_headers_present(signed_headers: tuple[str, ...], headers: dict[str, str]) -> None:
    for name in signed_headers:
        if name not in headers:
            raise IncompleteSignature(
                f"'{name}' is named as a SignedHeader, but it does not exist in the HTTP request."
            )
