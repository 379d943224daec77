"""The account password policy: AWS's PasswordPolicyViolation messages and generated passwords."""

from __future__ import annotations

import base64
import string

import pytest

from iamd.credentials.password_policy import (
    AWS_SYMBOLS,
    PasswordPolicy,
    check_password_policy,
    generate_password,
    generate_service_password,
    violation_message,
)

STRICT = PasswordPolicy(
    minimum_password_length=12,
    require_symbols=True,
    require_numbers=True,
    require_uppercase_characters=True,
    require_lowercase_characters=True,
)


# -- the default policy (no custom policy set) -------------------------------------------------


def test_default_policy_accepts_three_of_four_types() -> None:
    assert check_password_policy("abcdefG1", None, "alice") == []
    assert check_password_policy("abcdefg1!", None, "alice") == []
    assert check_password_policy("ABCDEFG1!", None, "alice") == []


def test_default_policy_minimum_length_is_8() -> None:
    assert check_password_policy("abcdeG1", None) == ["Password should have a minimum length of 8"]


def test_default_policy_reports_missing_types_as_aws_does() -> None:
    # AWS's reply to CreateLoginProfile for a lowercase-and-digits password.
    assert check_password_policy("abcdefgh1", None) == [
        "Password should meet 1 more of the following requirements: "
        "Password should have at least one uppercase letter, "
        "Password should have at least one symbol"
    ]


def test_default_policy_with_one_type_needs_two_more() -> None:
    assert check_password_policy("abcdefghij", None) == [
        "Password should meet 2 more of the following requirements: "
        "Password should have at least one uppercase letter, "
        "Password should have at least one number, "
        "Password should have at least one symbol"
    ]


def test_default_policy_reports_length_first() -> None:
    violations = check_password_policy("abc", None)
    assert violations[0] == "Password should have a minimum length of 8"
    assert violations[1].startswith("Password should meet 2 more")


def test_default_policy_refuses_the_user_name() -> None:
    assert check_password_policy("Alice-2024", None, "Alice-2024") == [
        "Password should not be identical to your user name"
    ]
    assert check_password_policy("Alice-2024", None, "alice") == []


def test_maximum_length_is_128() -> None:
    assert check_password_policy("aB1!" * 32, None) == []
    assert check_password_policy("aB1!" * 32 + "x", None) == [
        "Password should have a maximum length of 128"
    ]


# -- custom policies -----------------------------------------------------------------------------


def test_custom_policy_defaults_to_length_6_and_nothing_else() -> None:
    policy = PasswordPolicy()
    assert check_password_policy("aaaaaa", policy) == []
    assert check_password_policy("aaaaa", policy) == ["Password should have a minimum length of 6"]


def test_custom_policy_reports_each_missing_type_in_order() -> None:
    assert check_password_policy("               ", STRICT) == [
        "Password should have at least one uppercase letter",
        "Password should have at least one lowercase letter",
        "Password should have at least one number",
        "Password should have at least one symbol",
    ]


def test_custom_policy_reports_only_required_types() -> None:
    policy = PasswordPolicy(minimum_password_length=8, require_numbers=True)
    assert check_password_policy("abcdefgh", policy) == ["Password should have at least one number"]
    assert check_password_policy("abcdefg1", policy) == []


def test_custom_policy_length_and_types_together() -> None:
    assert check_password_policy("Ab1!", STRICT) == ["Password should have a minimum length of 12"]
    assert check_password_policy("ab1!", STRICT) == [
        "Password should have a minimum length of 12",
        "Password should have at least one uppercase letter",
    ]


def test_custom_policy_does_not_check_the_user_name() -> None:
    assert check_password_policy("Alice-2024-x", STRICT, "Alice-2024-x") == []


@pytest.mark.parametrize("symbol", list(AWS_SYMBOLS))
def test_each_aws_symbol_counts(symbol: str) -> None:
    assert check_password_policy(f"Abcdefghij1{symbol}", STRICT) == []


@pytest.mark.parametrize("other", [".", "~", "`", " ", '"', ",", "<", "/", "?", ";", ":", "é"])
def test_other_characters_are_not_symbols(other: str) -> None:
    assert check_password_policy(f"Abcdefghij1{other}", STRICT) == [
        "Password should have at least one symbol"
    ]


def test_only_basic_latin_letters_and_digits_count() -> None:
    policy = PasswordPolicy(
        require_uppercase_characters=True,
        require_lowercase_characters=True,
        require_numbers=True,
    )
    assert check_password_policy("ÉÀÇéàç٣", policy) == [
        "Password should have at least one uppercase letter",
        "Password should have at least one lowercase letter",
        "Password should have at least one number",
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"minimum_password_length": 5},
        {"minimum_password_length": 129},
        {"max_password_age": 0},
        {"max_password_age": 1096},
        {"password_reuse_prevention": 0},
        {"password_reuse_prevention": 25},
    ],
)
def test_policy_fields_keep_aws_ranges(fields: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        PasswordPolicy(**fields)  # type: ignore[arg-type]


def test_expire_passwords_follows_max_password_age() -> None:
    assert not PasswordPolicy().expire_passwords
    assert PasswordPolicy(max_password_age=90).expire_passwords


def test_violation_message_is_the_first_violation() -> None:
    violations = check_password_policy("ab1!", STRICT)
    assert violation_message(violations) == "Password should have a minimum length of 12"
    with pytest.raises(ValueError):
        violation_message([])


# -- generated passwords ---------------------------------------------------------------------------


@pytest.mark.parametrize("policy", [None, PasswordPolicy(), STRICT])
def test_generated_passwords_satisfy_the_policy(policy: PasswordPolicy | None) -> None:
    for _ in range(200):
        assert check_password_policy(generate_password(policy), policy, "alice") == []


def test_short_generated_password_has_every_type() -> None:
    for _ in range(100):
        password = generate_password(PasswordPolicy(), length=6)
        assert len(password) == 6
        for chars in (string.ascii_uppercase, string.ascii_lowercase, string.digits, AWS_SYMBOLS):
            assert set(password) & set(chars)


def test_generated_password_length() -> None:
    assert len(generate_password(None)) == 20
    assert len(generate_password(PasswordPolicy(minimum_password_length=40))) == 40
    assert len(generate_password(None, length=128)) == 128


def test_generated_passwords_differ() -> None:
    assert len({generate_password(None) for _ in range(50)}) == 50


@pytest.mark.parametrize("length", [0, 7, 129])
def test_generated_password_length_must_fit(length: int) -> None:
    with pytest.raises(ValueError):
        generate_password(None, length=length)


def test_generated_password_cannot_be_shorter_than_the_policy() -> None:
    with pytest.raises(ValueError):
        generate_password(STRICT, length=11)


def test_service_password_is_256_random_bits_in_base64() -> None:
    password = generate_service_password()
    assert len(password) == 44
    assert len(base64.b64decode(password, validate=True)) == 32
    assert password != generate_service_password()
