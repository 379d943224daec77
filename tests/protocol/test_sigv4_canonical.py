"""Canonical URI, query string and headers, case by case."""

from __future__ import annotations

import pytest

from iamd.protocol.sigv4_canonical import (
    canonical_headers,
    canonical_query_string,
    canonical_uri,
    header_values,
    query_pairs,
)


@pytest.mark.parametrize(
    ("raw_path", "expected"),
    [
        ("", "/"),
        ("/", "/"),
        ("/a%20b", "/a%2520b"),  # encoded on the wire, encoded again
        ("/a/./b/../c", "/a/c"),
        ("//a//b//", "/a/b/"),
        ("/..", "/"),
        ("/a/..", "/"),
        ("/~user/-._", "/~user/-._"),
        ("/$x", "/%24x"),
        ("/\u00e9", "/%E9"),  # the wire byte 0xE9, decoded as ISO-8859-1
        ("/\u1234", "/%E1%88%B4"),  # no wire byte decodes to it: taken as UTF-8
    ],
)
def test_canonical_uri(raw_path: str, expected: str) -> None:
    assert canonical_uri(raw_path) == expected


def _query(raw_query: str) -> str:
    return canonical_query_string(query_pairs(raw_query))


@pytest.mark.parametrize(
    ("raw_query", "expected"),
    [
        ("", ""),
        ("b=2&a=1", "a=1&b=2"),
        ("a=2&a=1", "a=1&a=2"),
        ("a", "a="),
        ("a=", "a="),
        ("&&a=1&", "a=1"),
        ("a=b+c", "a=b%20c"),
        ("a=b%2Bc", "a=b%2Bc"),
        ("a=%7e%2d", "a=~-"),
        ("%61=1", "a=1"),
        ("a=%2f", "a=%2F"),
        ("a=x=y", "a=x%3Dy"),
        ("a=%zz", "a=%25zz"),
        ("a%20b=1&a=2", "a=2&a%20b=1"),  # sorted by the encoded name
    ],
)
def test_canonical_query_string(raw_query: str, expected: str) -> None:
    assert _query(raw_query) == expected


def test_excluded_parameter_is_left_out() -> None:
    pairs = query_pairs("X-Amz-Signature=abc&X-Amz-Date=1&Action=A")

    assert canonical_query_string(pairs, exclude=b"X-Amz-Signature") == "Action=A&X-Amz-Date=1"


def test_header_names_are_matched_regardless_of_case() -> None:
    values = header_values([("HOST", "h"), ("X-Amz-Date", "d")], ["host", "x-amz-date"])

    assert values == {"host": ["h"], "x-amz-date": ["d"]}


def test_header_values_are_trimmed_and_collapsed() -> None:
    values = header_values([("My-Header", "  a   b\t\tc  ")], ["my-header"])

    assert canonical_headers(["my-header"], values) == "my-header:a b c\n"


def test_repeated_headers_join_in_the_order_received() -> None:
    headers = [("X-A", "2"), ("Host", "h"), ("x-a", " 1 ")]
    values = header_values(headers, ["host", "x-a"])

    assert canonical_headers(["host", "x-a"], values) == "host:h\nx-a:2,1\n"


def test_unsigned_headers_stay_out() -> None:
    values = header_values([("Host", "h"), ("User-Agent", "ua")], ["host"])

    assert canonical_headers(["host"], values) == "host:h\n"
