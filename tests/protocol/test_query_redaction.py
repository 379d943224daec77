"""Sensitive values are masked as CloudTrail masks them before anything is logged."""

from __future__ import annotations

import datetime as dt

from iamd.protocol import ParsedRequest, load_service
from iamd.protocol.redaction import HIDDEN

IAM = load_service("iam")
STS = load_service("sts")


def test_a_password_is_hidden_and_the_rest_kept() -> None:
    parsed = IAM.parse(
        {
            "Action": "CreateLoginProfile",
            "Version": "2010-05-08",
            "UserName": "Bob",
            "Password": "correct horse battery staple",
            "PasswordResetRequired": "true",
        }
    )
    assert IAM.redact_params(parsed) == {
        "user_name": "Bob",
        "password": HIDDEN,
        "password_reset_required": True,
    }
    assert parsed.params["password"] == "correct horse battery staple"


def test_a_secret_access_key_in_a_result_is_hidden() -> None:
    key = {
        "user_name": "Bob",
        "access_key_id": "AKIAIOSFODNN7EXAMPLE",
        "status": "Active",
        "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "create_date": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    }
    redacted = IAM.redact_result("CreateAccessKey", {"access_key": key})
    assert redacted == {"access_key": {**key, "secret_access_key": HIDDEN}}


def test_session_credentials_in_lists_and_structures_are_hidden() -> None:
    result = {
        "credentials": {
            "access_key_id": "ASIAIOSFODNN7EXAMPLE",
            "secret_access_key": "secret",
            "session_token": "token",
            "expiration": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        },
        "packed_policy_size": None,
    }
    redacted = STS.redact_result("GetSessionToken", result)
    assert redacted["credentials"] == {**result["credentials"], "secret_access_key": HIDDEN}  # type: ignore[dict-item]
    assert redacted["packed_policy_size"] is None


def test_sensitive_values_inside_list_elements_are_hidden() -> None:
    device = {"serial_number": "arn:aws:iam::123456789012:mfa/Bob", "qr_code_png": b"\x89PNG"}
    result = {"virtual_mfa_devices": [device], "is_truncated": False}
    assert IAM.redact_result("ListVirtualMFADevices", result) == {
        "virtual_mfa_devices": [{**device, "qr_code_png": HIDDEN}],
        "is_truncated": False,
    }


def test_a_whole_sensitive_structure_is_hidden() -> None:
    context = {"origin_identity": {"subject": "alice"}, "transaction_context": {}}
    result = {"trusted_identity_propagation_context": context, "audience": "https://signin"}
    assert STS.redact_result("AssumeRoleWithSAML", result) == {
        "trusted_identity_propagation_context": HIDDEN,
        "audience": "https://signin",
    }


def test_unknown_keys_pass_through_untouched() -> None:
    parsed = ParsedRequest("GetDelegatedAccessToken", {"trade_in_token": "t", "unknown": "kept"})
    assert STS.redact_params(parsed) == {"trade_in_token": HIDDEN, "unknown": "kept"}


def test_operations_without_input_or_output_redact_to_nothing() -> None:
    assert IAM.redact_params(ParsedRequest("GetAccountSummary", {})) == {}
    assert IAM.redact_result("DeleteUser", None) == {}


def test_map_values_are_redacted_by_their_shape() -> None:
    result = {"summary_map": {"Users": 3}}
    assert IAM.redact_result("GetAccountSummary", result) == result
