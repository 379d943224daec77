"""The request path's encoder writes exactly the record ``audit_record`` describes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from iamd.domain import Principal, PrincipalType
from iamd.domain.principals import SessionInfo
from iamd.policy import Decision, DenyKind, EvalDecision
from iamd.server.audit import audit_line, audit_record
from iamd.server.audit_encoder import RecordEncoder
from iamd.server.pipeline import Evaluation, Outcome

AT = dt.datetime(2025, 6, 1, 12, 0, 0, 500_000, tzinfo=dt.UTC)
ROOT = Principal(
    type=PrincipalType.ROOT,
    account_id="111122223333",
    arn="arn:aws:iam::111122223333:root",
    user_id="111122223333",
    access_key_id="AKIAROOT",
)
SESSION = Principal(
    type=PrincipalType.ASSUMED_ROLE,
    account_id="111122223333",
    arn="arn:aws:sts::111122223333:assumed-role/ops/s1",
    user_id="AROAOPS:s1",
    access_key_id="ASIASESSION",
    name="s1",
    entity_id="AROAOPS",
    session=True,
    sts=SessionInfo(
        kind="assumed-role",
        issuer_arn="arn:aws:iam::111122223333:role/team/ops",
        issuer_id="AROAOPS",
        issued_at=AT,
        expires_at=AT + dt.timedelta(hours=1),
        mfa_authenticated=True,
        source_identity="ann",
    ),
)


def _outcomes() -> list[Outcome]:
    write = Outcome(
        request_id="r-1",
        event_time=AT,
        service="iam",
        operation="CreateAccessKey",
        read_only=False,
        caller=ROOT,
        account_id=ROOT.account_id,
        access_key_id=ROOT.access_key_id,
        region="eu-west-1",
        source_ip="10.0.0.1",
        user_agent='agent "quoted" \u00e9\u4e2d',
        params={"user_name": "bob"},
        response={"access_key": {"access_key_id": "AKIAX", "secret_access_key": "s3cr3t"}},
        decision="Allowed",
        evaluations=[Evaluation("iam:CreateAccessKey", "*", Decision(EvalDecision.ALLOWED))],
    )
    denied = Outcome(
        request_id="r-2",
        event_time=AT,
        service="iam",
        operation="ListUsers",
        read_only=True,
        caller=SESSION,
        account_id=SESSION.account_id,
        access_key_id=SESSION.access_key_id,
        error_code="AccessDenied",
        error_message='User: x is not "allowed"',
        status=403,
        decision="Denied",
        evaluations=[
            Evaluation(
                "iam:ListUsers",
                "*",
                Decision(
                    EvalDecision.IMPLICIT_DENY,
                    missing_context_keys=("aws:SourceVpc",),
                    denied_by=DenyKind.IDENTITY,
                    allowed_by_boundary=False,
                ),
            )
        ],
    )
    unknown = Outcome(
        request_id="r-3",
        event_time=AT,
        service="sts",
        operation='Fly"Me\nTo' + "x" * 300,
        access_key_id="AKIAWHO",
        error_code="InvalidClientTokenId",
        error_message="The security token included in the request is invalid.",
        status=403,
    )
    return [write, denied, unknown]


@pytest.mark.parametrize("index", range(3))
def test_the_encoder_writes_what_audit_record_describes(index: int) -> None:
    outcome = _outcomes()[index]
    expected = audit_line(audit_record(outcome, event_id="e-1"))
    encoder = RecordEncoder()
    assert encoder.line(outcome, event_id="e-1") == expected
    assert encoder.line(outcome, event_id="e-1") == expected  # from its caches
    assert json.loads(expected)["eventTime"] == "2025-06-01T12:00:00Z"


def test_a_session_records_its_issuer() -> None:
    record = json.loads(RecordEncoder().line(_outcomes()[1]))
    context = record["userIdentity"]["sessionContext"]
    assert context["sessionIssuer"] == {
        "type": "Role",
        "principalId": "AROAOPS",
        "arn": "arn:aws:iam::111122223333:role/team/ops",
        "accountId": "111122223333",
        "userName": "ops",
    }
    assert context["attributes"] == {
        "creationDate": "2025-06-01T12:00:00Z",
        "mfaAuthenticated": "true",
    }
    assert context["sourceIdentity"] == "ann"


def test_secrets_in_results_are_masked() -> None:
    record = json.loads(RecordEncoder().line(_outcomes()[0]))
    key = record["responseElements"]["accessKey"]
    assert key == {"accessKeyId": "AKIAX", "secretAccessKey": "HIDDEN_DUE_TO_SECURITY_REASONS"}
