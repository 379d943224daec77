"""Every IAM and STS operation's result survives iamd's serializer and botocore's Query parser.

Values of each output shape (as a handler returns them, snake_case) are serialized by
``ServiceApi.serialize_result``; botocore's own response parser must read back the same values
under the PascalCase names, and the request id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import botocore.parsers
import botocore.session
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from query_values import outputs, snake

from iamd.protocol import load_service

SESSION = botocore.session.get_session()
MODELS = {name: SESSION.get_service_model(name) for name in ("iam", "sts")}
CASES = [(name, op) for name, model in MODELS.items() for op in sorted(model.operation_names)]
REQUEST_ID = "4fd2a9c4-8e3e-11ee-b9d1-0242ac120002"


def _parse(service: str, operation: str, body: bytes, status: int = 200) -> dict[str, Any]:
    shape = MODELS[service].operation_model(operation).output_shape
    parser = botocore.parsers.create_parser("query")
    response = {"body": body, "headers": {}, "status_code": status}
    parsed: dict[str, Any] = parser.parse(response, shape)
    return parsed


@pytest.mark.parametrize(("service", "operation"), CASES)
@settings(
    max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data())
def test_output_round_trips(service: str, operation: str, data: st.DataObject) -> None:
    shape = MODELS[service].operation_model(operation).output_shape
    expected = {} if shape is None else data.draw(outputs(shape), label="result")
    result = None if shape is None else snake(shape, expected)
    body = load_service(service).serialize_result(operation, result, REQUEST_ID)
    parsed = _parse(service, operation, body)
    assert parsed.pop("ResponseMetadata")["RequestId"] == REQUEST_ID
    assert parsed == expected


def test_a_user_reads_back_with_its_timestamp() -> None:
    created = dt.datetime(2012, 5, 8, 23, 34, 1, tzinfo=dt.UTC)
    result = {
        "user": {
            "path": "/",
            "user_name": "Bob",
            "user_id": "AIDACKCEVSQ6C2EXAMPLE",
            "arn": "arn:aws:iam::123456789012:user/Bob",
            "create_date": created,
            "tags": [{"key": "team", "value": "<blue & green>"}],
        }
    }
    body = load_service("iam").serialize_result("GetUser", result, REQUEST_ID)
    assert b"<CreateDate>2012-05-08T23:34:01Z</CreateDate>" in body
    user = _parse("iam", "GetUser", body)["User"]
    assert user["CreateDate"] == created
    assert user["Tags"] == [{"Key": "team", "Value": "<blue & green>"}]


def test_sts_credentials_read_back() -> None:
    expires = dt.datetime(2011, 7, 15, 23, 28, 33, tzinfo=dt.UTC)
    result = {
        "credentials": {
            "access_key_id": "ASIAIOSFODNN7EXAMPLE",
            "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
            "session_token": "AQoDYXdzEPT//////////wEXAMPLE",
            "expiration": expires,
        },
        "assumed_role_user": {
            "arn": "arn:aws:sts::123456789012:assumed-role/demo/Bob",
            "assumed_role_id": "ARO123EXAMPLE123:Bob",
        },
        "packed_policy_size": 6,
    }
    body = load_service("sts").serialize_result("AssumeRole", result, REQUEST_ID)
    assert body.startswith(
        b'<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
    )
    parsed = _parse("sts", "AssumeRole", body)
    assert parsed["Credentials"]["Expiration"] == expires
    assert parsed["AssumedRoleUser"]["AssumedRoleId"] == "ARO123EXAMPLE123:Bob"
    assert parsed["PackedPolicySize"] == 6


def test_a_blob_reads_back() -> None:
    result = {"content": b"\x00\x01user,arn\n", "report_format": "text/csv"}
    body = load_service("iam").serialize_result("GetCredentialReport", result, REQUEST_ID)
    assert b"<Content>AAF1c2VyLGFybgo=</Content>" in body
    assert _parse("iam", "GetCredentialReport", body)["Content"] == b"\x00\x01user,arn\n"


def test_a_map_reads_back() -> None:
    result = {"summary_map": {"Users": 3, "Groups": 1}}
    body = load_service("iam").serialize_result("GetAccountSummary", result, REQUEST_ID)
    assert _parse("iam", "GetAccountSummary", body)["SummaryMap"] == {"Users": 3, "Groups": 1}
