"""Statement positions (StartPosition/EndPosition) found in the original text."""

from __future__ import annotations

from iamd.policy import PolicyKind, Position, parse_policy
from iamd.policy._jsonpos import LineIndex, statement_spans


def test_statement_object_alone() -> None:
    text = (
        '{"Version": "2012-10-17",\n'
        ' "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}'
    )
    (statement,) = parse_policy(text, PolicyKind.IDENTITY).statements
    assert statement.start == Position(2, 15)
    assert statement.end == Position(2, 68)


def test_list_with_nested_values_and_escapes() -> None:
    text = (
        '{\n  "Statement": [\n'
        '    {"Sid": "a\\"}{", "Effect": "Allow", "Action": ["s3:*"], "Resource": "*",\n'
        '     "Condition": {"NumericLessThan": {"n": 10}, "Bool": {"b": true}}},\n'
        '    {"Effect": "Deny", "Action": "iam:*", "Resource": ["*"]}\n'
        "  ],\n"
        '  "Version": "2012-10-17"\n}'
    )
    first, second = parse_policy(text, PolicyKind.IDENTITY).statements
    assert (first.start, first.end) == (Position(3, 5), Position(4, 70))
    assert (second.start, second.end) == (Position(5, 5), Position(5, 60))


def test_last_statement_member_wins() -> None:
    text = '{"Statement": [1], "Statement": [ {"Effect":"Allow","Action":"s3:*","Resource":"*"} ]}'
    (statement,) = parse_policy(text, PolicyKind.IDENTITY).statements
    assert statement.start == Position(1, 35)


def test_scanner_on_documents_without_statements() -> None:
    assert statement_spans("[]") == []
    assert statement_spans('{"Version": "2012-10-17"}') == []
    assert statement_spans('{"Statement": [ ], "Id": null}') == []


def test_line_index() -> None:
    index = LineIndex("ab\ncd\n")
    assert index.position(0) == Position(1, 1)
    assert index.position(4) == Position(2, 2)
    assert index.position(6) == Position(3, 1)
