"""Credentials: secrets at rest, password hashing and policy, session tokens, TOTP.

Imports nothing of iamd but :mod:`iamd.errors`; the server wires a :class:`MasterKeyring`
(from :func:`load_keyring`) into the services that store secrets and into the authenticator.
"""

from iamd.credentials.keyfile import (
    ENV_MASTER_KEY,
    ENV_MASTER_KEYS_OLD,
    KEY_FILE_NAME,
    generate_master_key,
    load_keyring,
    retire_old_keys,
    rotate_keyfile,
)
from iamd.credentials.keyring import (
    KEY_BYTES,
    MasterKeyError,
    MasterKeyring,
    SecretDecryptionError,
    key_id_of,
)
from iamd.credentials.password_policy import (
    AWS_SYMBOLS,
    DEFAULT_POLICY_MINIMUM_LENGTH,
    MAXIMUM_PASSWORD_LENGTH,
    PasswordPolicy,
    check_password_policy,
    generate_password,
    generate_service_password,
    violation_message,
)
from iamd.credentials.passwords import (
    ARGON2_PARAMETERS,
    hash_password,
    needs_rehash,
    password_was_used,
    verify_password,
)
from iamd.credentials.session_claims import (
    PACKED_POLICY_LIMIT_BYTES,
    SessionClaims,
    SessionKind,
    packed_policy_size_percent,
)
from iamd.credentials.session_tokens import (
    MAX_TOKEN_CHARS,
    TOKEN_PREFIX,
    ExpiredSessionToken,
    InvalidSessionToken,
    SessionTokenSealer,
)
from iamd.credentials.totp import (
    RESYNC_WINDOW_STEPS,
    base32,
    code_at,
    new_seed,
    otpauth_uri,
    qr_png,
    verify_code,
    verify_two_consecutive,
    virtual_mfa_label,
)

__all__ = [
    "ARGON2_PARAMETERS",
    "AWS_SYMBOLS",
    "DEFAULT_POLICY_MINIMUM_LENGTH",
    "ENV_MASTER_KEY",
    "ENV_MASTER_KEYS_OLD",
    "KEY_BYTES",
    "KEY_FILE_NAME",
    "MAXIMUM_PASSWORD_LENGTH",
    "MAX_TOKEN_CHARS",
    "PACKED_POLICY_LIMIT_BYTES",
    "RESYNC_WINDOW_STEPS",
    "TOKEN_PREFIX",
    "ExpiredSessionToken",
    "InvalidSessionToken",
    "MasterKeyError",
    "MasterKeyring",
    "PasswordPolicy",
    "SecretDecryptionError",
    "SessionClaims",
    "SessionKind",
    "SessionTokenSealer",
    "base32",
    "check_password_policy",
    "code_at",
    "generate_master_key",
    "generate_password",
    "generate_service_password",
    "hash_password",
    "key_id_of",
    "load_keyring",
    "needs_rehash",
    "new_seed",
    "otpauth_uri",
    "packed_policy_size_percent",
    "password_was_used",
    "qr_png",
    "retire_old_keys",
    "rotate_keyfile",
    "verify_code",
    "verify_password",
    "verify_two_consecutive",
    "violation_message",
    "virtual_mfa_label",
]
