"""read_form: body and URL fields, capped before parsing, with AWS's errors."""

from __future__ import annotations

import pytest

from iamd.errors import MalformedQueryString, RequestEntityTooLarge
from iamd.protocol import read_form


def read(
    body: bytes, query: str = "", *, max_body: int = 1000, max_fields: int = 10
) -> dict[str, str]:
    return read_form(body, query, max_body=max_body, max_fields=max_fields)


def test_body_fields_are_percent_decoded() -> None:
    assert read(b"Action=CreateUser&UserName=Bob+Smith&Path=%2Fa%2F&Note=%E2%9C%93") == {
        "Action": "CreateUser",
        "UserName": "Bob Smith",
        "Path": "/a/",
        "Note": "\u2713",
    }


def test_url_fields_serve_a_get() -> None:
    assert read(b"", "Action=ListUsers&Version=2010-05-08") == {
        "Action": "ListUsers",
        "Version": "2010-05-08",
    }


def test_url_and_body_fields_merge() -> None:
    assert read(b"UserName=Bob", "Action=GetUser&X-Amz-Date=20150830T123600Z") == {
        "Action": "GetUser",
        "X-Amz-Date": "20150830T123600Z",
        "UserName": "Bob",
    }


def test_a_repeated_field_keeps_its_first_value_the_urls_first() -> None:
    assert read(b"Action=B&Action=C", "Action=A") == {"Action": "A"}
    assert read(b"UserName=a&UserName=b") == {"UserName": "a"}


def test_blank_values_are_kept() -> None:
    assert read(b"Tags=&UserName=") == {"Tags": "", "UserName": ""}


def test_nothing_at_all_is_no_fields() -> None:
    assert read(b"", "") == {}


def test_a_body_at_the_cap_is_read() -> None:
    body = b"UserName=" + b"a" * 91
    assert read(body, max_body=100) == {"UserName": "a" * 91}


def test_a_body_over_the_cap_is_too_large() -> None:
    with pytest.raises(RequestEntityTooLarge) as raised:
        read(b"UserName=" + b"a" * 92, max_body=100)
    assert (raised.value.code, raised.value.status) == ("RequestEntityTooLarge", 413)


def test_a_url_over_the_cap_is_too_large() -> None:
    with pytest.raises(RequestEntityTooLarge):
        read(b"", "UserName=" + "a" * 92, max_body=100)


def test_fields_at_the_cap_are_read() -> None:
    assert len(read(b"&".join(b"F%d=1" % i for i in range(10)), max_fields=10)) == 10


@pytest.mark.parametrize(
    ("body", "query"),
    [
        (b"&".join(b"F%d=1" % i for i in range(11)), ""),
        (b"A=1&B=2&C=3&D=4&E=5&F=6", "G=1&H=2&I=3&J=4&K=5"),
    ],
)
def test_more_fields_than_the_cap_is_too_large(body: bytes, query: str) -> None:
    with pytest.raises(RequestEntityTooLarge, match="more than 10 parameters"):
        read(body, query, max_fields=10)


def test_the_field_cap_holds_before_anything_is_decoded() -> None:
    with pytest.raises(RequestEntityTooLarge):
        read(b"&" * 50 + b"%zz", max_fields=10)


@pytest.mark.parametrize(
    "body",
    [b"Action", b"Action=A&", b"A=1&&B=2", b"A=%zz", b"A=%4", b"A=%C3%28", b"A=\xff", b"&A=1"],
)
def test_malformed_bodies_are_malformed_query_strings(body: bytes) -> None:
    with pytest.raises(MalformedQueryString) as raised:
        read(body)
    assert (raised.value.code, raised.value.status) == ("MalformedQueryString", 404)


def test_a_malformed_url_is_a_malformed_query_string() -> None:
    with pytest.raises(MalformedQueryString):
        read(b"Action=GetUser", "X-Amz-Signature")


def test_a_utf8_body_that_was_not_percent_encoded_is_read() -> None:
    assert read("UserName=Zoë".encode()) == {"UserName": "Zoë"}
