"""Bad input gets AWS's error and changes nothing stored (ground rule 3)."""

from __future__ import annotations

import http.client
import urllib.parse

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from iamd_testkit import Account, aws_error


def test_too_long_user_name(account: Account) -> None:
    iam = account.iam()
    error = aws_error(iam.create_user, UserName="u" * 65)
    assert (error.code, error.status) == ("ValidationError", 400)
    assert error.message == (
        "1 validation error detected: Value at 'userName' failed to satisfy constraint: "
        "Member must have length less than or equal to 64"
    )
    assert iam.list_users()["Users"] == []


def test_ill_formed_user_name(account: Account) -> None:
    iam = account.iam()
    error = aws_error(iam.create_user, UserName="no spaces")
    assert error.code == "ValidationError"
    assert "Member must satisfy regular expression pattern: [\\w+=,.@-]+" in error.message
    assert iam.list_users()["Users"] == []


def test_missing_required_parameter(account: Account) -> None:
    error = aws_error(account.iam().create_user)
    assert error.message == (
        "1 validation error detected: Value null at 'userName' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_several_violations_are_listed_together(account: Account) -> None:
    error = aws_error(account.iam().create_user, UserName="x" * 65, Path="no-slashes")
    assert error.message.startswith("2 validation errors detected: ")
    assert "'userName'" in error.message
    assert "'path'" in error.message


def test_path_must_start_and_end_with_a_slash(account: Account) -> None:
    iam = account.iam()
    for path in ("eng", "/eng", "eng/"):
        assert aws_error(iam.create_user, UserName="p", Path=path).code == "ValidationError"
    assert iam.list_users()["Users"] == []


def test_max_items_out_of_range(account: Account) -> None:
    error = aws_error(account.iam().list_users, MaxItems=0)
    assert error.code == "ValidationError"
    assert "Member must have value greater than or equal to 1" in error.message


def test_unknown_action_answers_invalid_action(account: Account) -> None:
    status, text = _post(account, "Action=MakeCoffee&Version=2010-05-08")
    assert status == 400
    assert "<Code>InvalidAction</Code>" in text


def test_body_over_the_cap_is_refused(account: Account) -> None:
    big = "Action=CreateUser&Version=2010-05-08&UserName=big&Pad=" + "x" * (13 * 1024 * 1024)
    status, text = _post(account, big)
    assert status == 413
    assert "<Code>RequestEntityTooLarge</Code>" in text
    assert account.iam().list_users()["Users"] == []


def test_too_many_fields_are_refused(account: Account) -> None:
    form = "Action=ListUsers&Version=2010-05-08&" + "&".join(f"f{i}=1" for i in range(10_001))
    status, _text = _post(account, form)
    assert status == 413


def test_malformed_form(account: Account) -> None:
    status, text = _post(account, "Action=ListUsers&Version=2010-05-08&bad%zz=1")
    assert status in {400, 404}
    assert "MalformedQueryString" in text


def _post(account: Account, form: str) -> tuple[int, str]:
    request = AWSRequest(
        method="POST",
        url=account.server.endpoint + "/",
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(Credentials(account.root_key_id, account.root_secret), "iam", "us-east-1").add_auth(
        request
    )
    url = urllib.parse.urlsplit(account.server.endpoint)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=30)
    conn.request("POST", "/", body=form.encode(), headers=dict(request.headers.items()))
    reply = conn.getresponse()
    text = reply.read().decode()
    conn.close()
    return reply.status, text
