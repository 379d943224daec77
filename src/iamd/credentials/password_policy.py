"""The account password policy: checking passwords against it and generating passwords.

IAM User Guide, "Setting an account password policy for IAM users"
(id_credentials_passwords_account-policy). Without a custom policy the *default password
policy* applies: at least 8 and at most 128 characters, at least three of the four character
types (uppercase, lowercase, numbers, non-alphanumeric), not identical to the account name or
e-mail address. A custom policy sets a minimum length (6 to 128) and any of the four character
types. Only ``! @ # $ % ^ & * ( ) _ + - = [ ] { } | '`` count as symbols; only A-Z, a-z and 0-9
count as letters and numbers (the "ISO basic Latin alphabet" of UpdateAccountPasswordPolicy).

Messages are AWS's PasswordPolicyViolation texts. Seen verbatim in AWS replies to
CreateLoginProfile: "Password should have a minimum length of 8", "Password should meet 1 more
of the following requirements: Password should have at least one uppercase letter, Password
should have at least one symbol". The lowercase and number sentences follow the same pattern;
the maximum-length and user-name sentences are iamd's, in that pattern.
"""

from __future__ import annotations

import base64
import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AWS_SYMBOLS",
    "DEFAULT_POLICY_MINIMUM_LENGTH",
    "MAXIMUM_PASSWORD_LENGTH",
    "PasswordPolicy",
    "check_password_policy",
    "generate_password",
    "generate_service_password",
    "violation_message",
]

AWS_SYMBOLS = "!@#$%^&*()_+-=[]{}|'"
"""The characters that count as symbols (non-alphanumeric characters) for IAM."""

DEFAULT_POLICY_MINIMUM_LENGTH = 8
MAXIMUM_PASSWORD_LENGTH = 128
_DEFAULT_POLICY_TYPES_REQUIRED = 3
_GENERATED_LENGTH = 20

_UPPER = frozenset(string.ascii_uppercase)
_LOWER = frozenset(string.ascii_lowercase)
_DIGITS = frozenset(string.digits)
_SYMBOLS = frozenset(AWS_SYMBOLS)

_MIN_LENGTH = "Password should have a minimum length of {}"
_MAX_LENGTH = "Password should have a maximum length of {}"
_NEEDS_UPPER = "Password should have at least one uppercase letter"
_NEEDS_LOWER = "Password should have at least one lowercase letter"
_NEEDS_NUMBER = "Password should have at least one number"
_NEEDS_SYMBOL = "Password should have at least one symbol"
_MEET_MORE = "Password should meet {} more of the following requirements: {}"
_NOT_USER_NAME = "Password should not be identical to your user name"


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """A custom account password policy (the ``PasswordPolicy`` shape of IAM).

    Field defaults are UpdateAccountPasswordPolicy's defaults for omitted parameters: minimum
    length 6, no character type required, users may not change their password, passwords never
    expire (``max_password_age`` None is AWS's 0), reuse allowed (None is AWS's 0).
    """

    minimum_password_length: int = 6
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase_characters: bool = False
    require_lowercase_characters: bool = False
    allow_users_to_change_password: bool = False
    max_password_age: int | None = None
    password_reuse_prevention: int | None = None
    hard_expiry: bool = False

    def __post_init__(self) -> None:
        if not 6 <= self.minimum_password_length <= MAXIMUM_PASSWORD_LENGTH:
            raise ValueError("minimum_password_length must be between 6 and 128")
        if self.max_password_age is not None and not 1 <= self.max_password_age <= 1095:
            raise ValueError("max_password_age must be between 1 and 1095 days")
        if self.password_reuse_prevention is not None and not (
            1 <= self.password_reuse_prevention <= 24
        ):
            raise ValueError("password_reuse_prevention must be between 1 and 24")

    @property
    def expire_passwords(self) -> bool:
        """GetAccountPasswordPolicy's ExpirePasswords: true when MaxPasswordAge is set."""
        return self.max_password_age is not None


def _missing_types(password: str) -> list[tuple[str, str]]:
    """(kind, message) for each character type ``password`` lacks, in AWS's order."""
    present = set(password)
    checks = (
        ("upper", _UPPER, _NEEDS_UPPER),
        ("lower", _LOWER, _NEEDS_LOWER),
        ("number", _DIGITS, _NEEDS_NUMBER),
        ("symbol", _SYMBOLS, _NEEDS_SYMBOL),
    )
    return [(kind, message) for kind, chars, message in checks if present.isdisjoint(chars)]


def check_password_policy(
    password: str, policy: PasswordPolicy | None, user_name: str | None = None
) -> list[str]:
    """Every way ``password`` breaks ``policy`` (None: the default policy), as AWS's messages.

    An empty list means the password is acceptable. Length comes first, then character types
    (uppercase, lowercase, number, symbol). Under the default policy the missing types are
    reported together, as AWS does, only when fewer than three types are present; a password
    identical to ``user_name`` is refused there too. Password reuse needs the stored hashes:
    see :func:`iamd.credentials.passwords.password_was_used`.
    """
    violations: list[str] = []
    minimum = DEFAULT_POLICY_MINIMUM_LENGTH if policy is None else policy.minimum_password_length
    if len(password) < minimum:
        violations.append(_MIN_LENGTH.format(minimum))
    if len(password) > MAXIMUM_PASSWORD_LENGTH:
        violations.append(_MAX_LENGTH.format(MAXIMUM_PASSWORD_LENGTH))
    missing = _missing_types(password)
    if policy is None:
        shortfall = _DEFAULT_POLICY_TYPES_REQUIRED - (4 - len(missing))
        if shortfall > 0:
            listed = ", ".join(message for _, message in missing)
            violations.append(_MEET_MORE.format(shortfall, listed))
        if user_name is not None and password == user_name:
            violations.append(_NOT_USER_NAME)
        return violations
    required = {
        "upper": policy.require_uppercase_characters,
        "lower": policy.require_lowercase_characters,
        "number": policy.require_numbers,
        "symbol": policy.require_symbols,
    }
    violations.extend(message for kind, message in missing if required[kind])
    return violations


def violation_message(violations: Sequence[str]) -> str:
    """The message of the PasswordPolicyViolation error for ``violations`` (not empty).

    AWS answers one sentence: the first violation (a too-short password is reported by its
    length alone, as observed in AWS's replies).
    """
    if not violations:
        raise ValueError("no violations to report")
    return violations[0]


def generate_password(policy: PasswordPolicy | None, length: int | None = None) -> str:
    """A random password that satisfies ``policy`` (None: the default policy).

    For console passwords that IAM generates ("autogenerated password" in the console): by
    default 20 characters, or the policy's minimum if longer, and always at least one
    uppercase letter, lowercase letter, number and AWS symbol, so any policy's character-type
    requirements hold.
    """
    minimum = DEFAULT_POLICY_MINIMUM_LENGTH if policy is None else policy.minimum_password_length
    size = max(_GENERATED_LENGTH, minimum) if length is None else length
    if not minimum <= size <= MAXIMUM_PASSWORD_LENGTH:
        raise ValueError(f"length must be between {minimum} and {MAXIMUM_PASSWORD_LENGTH}")
    classes = (string.ascii_uppercase, string.ascii_lowercase, string.digits, AWS_SYMBOLS)
    alphabet = "".join(classes)
    chars = [secrets.choice(chars) for chars in classes]
    chars += [secrets.choice(alphabet) for _ in range(size - len(classes))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def generate_service_password() -> str:
    """The ServicePassword of a new service-specific credential (CreateServiceSpecificCredential).

    AWS's are 44 characters of base64, 256 random bits; so are these.
    """
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")
