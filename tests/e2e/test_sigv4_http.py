"""SigV4 over HTTP: both forms accepted, each refusal answered as AWS answers it (issue 2)."""

from __future__ import annotations

import datetime as dt
import http.client
import urllib.parse
import xml.etree.ElementTree as ET

from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from iamd_testkit import Account

NS = {"iam": "https://iam.amazonaws.com/doc/2010-05-08/"}
FORM = "Action=ListUsers&Version=2010-05-08"


def _send(account: Account, request: AWSRequest) -> tuple[int, str, str]:
    """Sends a prepared request; answers (status, error code or '', body)."""
    url = urllib.parse.urlsplit(request.url)
    target = url.path + (f"?{url.query}" if url.query else "")
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
    body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
    conn.request(request.method, target, body=body, headers=dict(request.headers.items()))
    reply = conn.getresponse()
    text = reply.read().decode()
    conn.close()
    code = ""
    if reply.status >= 400:
        found = ET.fromstring(text).find(".//iam:Code", NS)
        if found is None:
            found = ET.fromstring(text).find(".//{*}Code")
        code = found.text or "" if found is not None else ""
    return reply.status, code, text


def _signed_post(
    account: Account,
    *,
    body: str = FORM,
    service: str = "iam",
    secret: str | None = None,
    key_id: str | None = None,
    when: dt.datetime | None = None,
) -> AWSRequest:
    request = AWSRequest(
        method="POST",
        url=account.server.endpoint + "/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    credentials = Credentials(key_id or account.root_key_id, secret or account.root_secret)
    auth = SigV4Auth(credentials, service, "us-east-1")
    if when is not None:
        request.context["timestamp"] = when.strftime("%Y%m%dT%H%M%SZ")
        auth._modify_request_before_signing(request)
        canonical = auth.canonical_request(request)
        string_to_sign = auth.string_to_sign(request, canonical)
        signature = auth.signature(string_to_sign, request)
        auth._inject_signature_to_request(request, signature)
    else:
        auth.add_auth(request)
    return request


def test_authorization_header_form(account: Account) -> None:
    status, code, text = _send(account, _signed_post(account))
    assert (status, code) == (200, "")
    assert "<ListUsersResponse" in text


def test_presigned_query_form(account: Account) -> None:
    request = AWSRequest(method="GET", url=f"{account.server.endpoint}/?{FORM}")
    credentials = Credentials(account.root_key_id, account.root_secret)
    SigV4QueryAuth(credentials, "iam", "us-east-1", expires=300).add_auth(request)
    status, code, text = _send(account, request)
    assert (status, code) == (200, "")
    assert "<ListUsersResult>" in text


def test_no_signature_at_all(account: Account) -> None:
    request = AWSRequest(
        method="POST",
        url=account.server.endpoint + "/",
        data=FORM,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    status, code, _ = _send(account, request)
    assert (status, code) == (403, "MissingAuthenticationToken")


def test_unknown_access_key(account: Account) -> None:
    request = _signed_post(account, key_id="AKIAUNKNOWNUNKNOWN00")
    status, code, text = _send(account, request)
    assert (status, code) == (403, "InvalidClientTokenId")
    assert "The security token included in the request is invalid." in text


def test_wrong_secret_never_echoes_the_expected_signature(account: Account) -> None:
    request = _signed_post(account, secret="x" * 40)
    status, code, text = _send(account, request)
    assert (status, code) == (403, "SignatureDoesNotMatch")
    right = _signed_post(account)
    expected = right.headers["Authorization"].rsplit("Signature=", 1)[1]
    assert expected not in text
    assert "Canonical" not in text


def test_tampered_body(account: Account) -> None:
    request = _signed_post(account)
    request.data = "Action=ListUsers&Version=2010-05-08&MaxItems=1"
    status, code, _ = _send(account, request)
    assert (status, code) == (403, "SignatureDoesNotMatch")


def test_clock_skew_over_fifteen_minutes_is_refused(account: Account) -> None:
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
    status, code, text = _send(account, _signed_post(account, when=long_ago))
    assert (status, code) == (403, "SignatureDoesNotMatch")
    assert "Signature expired" in text
    future = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)
    status, code, text = _send(account, _signed_post(account, when=future))
    assert (status, code) == (403, "SignatureDoesNotMatch")
    assert "Signature not yet current" in text


def test_clock_skew_within_fifteen_minutes_is_accepted(account: Account) -> None:
    recent = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    status, code, _ = _send(account, _signed_post(account, when=recent))
    assert (status, code) == (200, "")


def test_expired_presigned_url(account: Account) -> None:
    request = AWSRequest(method="GET", url=f"{account.server.endpoint}/?{FORM}")
    credentials = Credentials(account.root_key_id, account.root_secret)
    auth = SigV4QueryAuth(credentials, "iam", "us-east-1", expires=60)
    request.context["timestamp"] = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).strftime(
        "%Y%m%dT%H%M%SZ"
    )
    auth._modify_request_before_signing(request)
    signature = auth.signature(
        auth.string_to_sign(request, auth.canonical_request(request)), request
    )
    auth._inject_signature_to_request(request, signature)
    status, code, _ = _send(account, request)
    assert status == 403
    assert code in {"SignatureDoesNotMatch", "AccessDenied"}


def test_incomplete_authorization_header(account: Account) -> None:
    request = _signed_post(account)
    header = request.headers["Authorization"]
    del request.headers["Authorization"]
    request.headers["Authorization"] = header.split(", Signature=")[0]
    status, code, _ = _send(account, request)
    assert (status, code) == (403, "IncompleteSignature")


def test_sts_and_iam_share_the_port(account: Account) -> None:
    body = "Action=GetCallerIdentity&Version=2011-06-15"
    status, code, text = _send(account, _signed_post(account, body=body, service="sts"))
    assert (status, code) == (200, "")
    assert "<GetCallerIdentityResponse" in text
    assert "https://sts.amazonaws.com/doc/2011-06-15/" in text


def test_a_credential_scoped_to_another_service(account: Account) -> None:
    status, code, _ = _send(account, _signed_post(account, service="s3"))
    assert (status, code) == (403, "SignatureDoesNotMatch")
