"""Errors serialize as IAM's and STS's ErrorResponse and read back through botocore's parser."""

from __future__ import annotations

from typing import Any

import botocore.parsers
import botocore.session
import pytest

from iamd import errors
from iamd.protocol import load_service

SESSION = botocore.session.get_session()
REQUEST_ID = "21df0503-40ff-11e5-a422-e51fd6279686"


def _parse_error(service: str, body: bytes, status: int) -> dict[str, Any]:
    shape = (
        SESSION.get_service_model(service)
        .operation_model("GetCallerIdentity" if service == "sts" else "GetUser")
        .output_shape
    )
    parsed: dict[str, Any] = botocore.parsers.create_parser("query").parse(
        {"body": body, "headers": {}, "status_code": status}, shape
    )
    return parsed


@pytest.mark.parametrize(
    "error",
    [
        errors.NoSuchEntity("The user with name Bob cannot be found."),
        errors.ValidationError("1 validation error detected: Value at 'userName' failed"),
        errors.InternalFailure("An internal error occurred."),
        errors.ServiceFailure("Request processing has failed because of an unknown error."),
        errors.DeleteConflict("Cannot delete entity, must detach all policies first."),
        errors.InvalidAction("Could not find operation Nope for version 2010-05-08"),
    ],
    ids=lambda error: type(error).__name__,
)
@pytest.mark.parametrize("service", ["iam", "sts"])
def test_errors_read_back_through_botocore(service: str, error: errors.AwsError) -> None:
    body = load_service(service).serialize_error(error, REQUEST_ID)
    parsed = _parse_error(service, body, error.status)
    assert parsed["Error"] == {
        "Code": error.code,
        "Message": error.message,
        "Type": "Sender" if error.sender_fault else "Receiver",
    }
    assert parsed["ResponseMetadata"]["RequestId"] == REQUEST_ID
    assert parsed["ResponseMetadata"]["HTTPStatusCode"] == error.status


def test_the_error_document_is_iams() -> None:
    body = load_service("iam").serialize_error(errors.NoSuchEntity("No user."), REQUEST_ID)
    assert body == (
        b'<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\n'
        b"  <Error>\n    <Type>Sender</Type>\n    <Code>NoSuchEntity</Code>\n"
        b"    <Message>No user.</Message>\n  </Error>\n"
        b"  <RequestId>21df0503-40ff-11e5-a422-e51fd6279686</RequestId>\n</ErrorResponse>\n"
    )


def test_a_service_fault_is_a_receiver_error() -> None:
    body = load_service("sts").serialize_error(errors.InternalFailure("Oops."), REQUEST_ID)
    assert b"<Type>Receiver</Type>" in body
    assert b'xmlns="https://sts.amazonaws.com/doc/2011-06-15/"' in body


def test_markup_in_a_message_is_escaped() -> None:
    message = 'Policy <Statement> & "quotes" > all\r\nlines'
    body = load_service("iam").serialize_error(errors.MalformedPolicyDocument(message), REQUEST_ID)
    assert b"&lt;Statement&gt; &amp;" in body
    assert _parse_error("iam", body, 400)["Error"]["Message"] == message


def test_an_empty_message_is_left_out() -> None:
    from iamd.errors import AwsError
    from iamd.protocol import load_service

    class ReportNotPresent(AwsError):
        code = "ReportNotPresent"
        status = 410

    body = load_service("iam").serialize_error(ReportNotPresent(""), "req-1").decode()
    assert "<Message>" not in body
    assert "<Code>ReportNotPresent</Code>" in body
