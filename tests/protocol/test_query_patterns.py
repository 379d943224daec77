"""The model's Java regular expressions compile to Python ones that match as Java's do."""

from __future__ import annotations

import pytest

from iamd.protocol.patterns import compile_pattern

NAME = r"[\w+=,.@-]+"
PATH = r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)"
TAG_KEY = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+"
ARN = r"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+"


def matches(pattern: str, text: str) -> bool:
    return compile_pattern(pattern).fullmatch(text) is not None


@pytest.mark.parametrize(
    ("text", "ok"),
    [("Bob_1+=,.@-", True), ("Zoë", False), ("a b", False), ("a/b", False), ("", False)],
)
def test_java_word_characters_are_ascii(text: str, ok: bool) -> None:
    assert matches(NAME, text) is ok


@pytest.mark.parametrize(
    ("text", "ok"), [("/", True), ("/a/b/", True), ("/a", False), ("a/", False), ("/a b/", False)]
)
def test_unicode_escapes_and_alternation_match_the_whole_value(text: str, ok: bool) -> None:
    assert matches(PATH, text) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("team", True),
        ("Équipe 1", True),
        ("日本", True),
        ("\u00a0x", True),
        ("\U0001d400", True),
        ("a*b", False),
        ("\U0001f600", False),
        ("a\tb", False),
    ],
)
def test_unicode_categories_letters_separators_numbers(text: str, ok: bool) -> None:
    assert matches(TAG_KEY, text) is ok


def test_a_category_outside_a_class_is_its_own_class() -> None:
    assert matches(r"\p{Lu}\d", "A1")
    assert not matches(r"\p{Lu}\d", "a1")


def test_four_hex_digit_escapes_read_as_java_reads_them() -> None:
    # \u10000-\u10FFFF is U+1000, then the range 0-U+10FF, then F, F: no supplementary characters.
    assert matches(ARN, "arn:aws:iam::123456789012:role/x")
    assert matches(ARN, "\u1000")
    assert not matches(ARN, "\U00010000")
    assert not matches(ARN, "\x01")


def test_anchors_in_the_model_still_hold() -> None:
    assert matches(r"^[A-Za-z][A-Za-z0-9/_-]*$", "Color")
    assert not matches(r"^[A-Za-z][A-Za-z0-9/_-]*$", "Color\n")


def test_patterns_compile_once() -> None:
    assert compile_pattern(NAME) is compile_pattern(NAME)


def test_an_unknown_category_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown Unicode category"):
        compile_pattern(r"\p{Qq}")
